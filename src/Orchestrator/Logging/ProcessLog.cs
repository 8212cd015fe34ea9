using Lakehouse.Core.Config;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace TmLakehouse.Orchestrator.Logging;

/// <summary>
/// The process logger: the console gets warnings and errors by default (TM_LOG_LEVEL raises or lowers it) so CLI output stays
/// readable and free of stack traces; the compact-JSON file (with full exceptions) under TM_HOME/logs gets everything from Information up.
/// </summary>
public static class ProcessLog
{
    public static Logger Create(LakehouseOptions options, IReadOnlyDictionary<string, string> variables, TextWriter console)
    {
        var consoleLevel = variables.TryGetValue("TM_LOG_LEVEL", out var text) && Enum.TryParse<LogEventLevel>(text, true, out var level)
            ? level
            : LogEventLevel.Warning;
        var logs = Path.Combine(options.Home, "logs");
        Directory.CreateDirectory(logs);
        return new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Hangfire", LogEventLevel.Warning)
            .WriteTo.Sink(new TextWriterSink(console, new MessageTemplateTextFormatter("{Timestamp:HH:mm:ss} {Level:u3} {Message:lj}{NewLine}")), consoleLevel)
            .WriteTo.File(new CompactJsonFormatter(), Path.Combine(logs, "tmlake.json"), shared: true)
            .CreateLogger();
    }
}
