using Hangfire.Logging;
using Serilog.Events;

namespace TmLakehouse.Orchestrator.Logging;

/// <summary>
/// Hangfire's own log lines, into the process log (which keeps them from Warning up). Set once per runtime: without a provider
/// set, Hangfire looks one up at every GetLogger — each fetched job, filter and dispatcher — and its Serilog lookup compiles
/// expression trees each time, whose dynamic methods the finalizer thread then frees (seen in the per-step bench's profile),
/// and the lines went to Serilog's static logger, which nothing here configures. Process-wide in Hangfire: the
/// runtime opened last names the logger, which is the process's one logger outside tests.
/// </summary>
internal sealed class HangfireLogs(Serilog.ILogger log) : ILogProvider
{
    public static void Use(Serilog.ILogger log) => LogProvider.SetCurrentLogProvider(new HangfireLogs(log));

    public ILog GetLogger(string name) => new Logger(log.ForContext(Serilog.Core.Constants.SourceContextPropertyName, name));

    private sealed class Logger(Serilog.ILogger log) : ILog
    {
        public bool Log(LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            var level = logLevel switch
            {
                LogLevel.Trace => LogEventLevel.Verbose,
                LogLevel.Debug => LogEventLevel.Debug,
                LogLevel.Info => LogEventLevel.Information,
                LogLevel.Warn => LogEventLevel.Warning,
                LogLevel.Error => LogEventLevel.Error,
                _ => LogEventLevel.Fatal,
            };
            // Hangfire asks with no message whether a level is on before it builds one.
            if (messageFunc is null) return log.IsEnabled(level);
            if (log.IsEnabled(level)) log.Write(level, exception, "{HangfireMessage:l}", messageFunc());
            return true;
        }
    }
}
