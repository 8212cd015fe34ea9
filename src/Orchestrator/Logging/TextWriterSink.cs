using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace TmLakehouse.Orchestrator.Logging;

/// <summary>Writes formatted events to a TextWriter (the CLI's error stream, which tests capture).</summary>
internal sealed class TextWriterSink(TextWriter writer, ITextFormatter formatter) : ILogEventSink
{
    private readonly Lock _lock = new();

    public void Emit(LogEvent logEvent)
    {
        lock (_lock) formatter.Format(logEvent, writer);
    }
}
