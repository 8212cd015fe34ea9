using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace Lakehouse.Core.Execution.Steps;

/// <summary>Keeps a step's log events so they can be written to the event log when the step ends.</summary>
internal sealed class CollectingSink : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    public IReadOnlyList<LogEvent> Drain()
    {
        var drained = new List<LogEvent>();
        while (_events.TryDequeue(out var e)) drained.Add(e);
        return drained;
    }
}
