using Serilog.Core;
using Serilog.Events;

namespace TmLakehouse.Assets.Tests.Fakes;

/// <summary>Keeps every log event written to it, for tests that check what a step logs.</summary>
internal sealed class CollectingSink : ILogEventSink
{
    private readonly List<LogEvent> _events = [];

    public IReadOnlyList<LogEvent> Events { get { lock (_events) return _events.ToList(); } }

    public void Emit(LogEvent logEvent)
    {
        lock (_events) _events.Add(logEvent);
    }

    public Serilog.ILogger Logger() => new Serilog.LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(this).CreateLogger();
}
