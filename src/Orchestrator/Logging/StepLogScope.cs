using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace TmLakehouse.Orchestrator.Logging;

/// <summary>
/// The logger of one step attempt: every line carries run_id, asset_key, partition (and its dimensions), step; lines go to
/// the process log, to the run's compact-JSON file under TM_HOME/logs/runs, and to the run's event log.
/// </summary>
internal sealed class StepLogScope : IAsyncDisposable
{
    private readonly CollectingSink _collector = new();
    private readonly Logger _logger;
    private readonly string _runId;
    private readonly StepKey _step;
    private readonly IEventLogStore _events;

    public StepLogScope(ILogger processLog, string logsFolder, string runId, StepKey step, IEventLogStore events)
    {
        _runId = runId;
        _step = step;
        _events = events;
        Directory.CreateDirectory(logsFolder);
        var config = new LoggerConfiguration()
            .MinimumLevel.Debug()
            .Enrich.WithProperty("run_id", runId)
            .Enrich.WithProperty("asset_key", step.Asset.Value)
            .Enrich.WithProperty("partition", step.Partition?.Value ?? "")
            .Enrich.WithProperty("step", step.ToString())
            .WriteTo.Logger(processLog)
            .WriteTo.File(new CompactJsonFormatter(), Path.Combine(logsFolder, $"{runId}.json"), shared: true)
            .WriteTo.Sink(_collector, LogEventLevel.Information);
        foreach (var (dimension, value) in step.Partition?.Dimensions ?? new Dictionary<string, string>())
            config = config.Enrich.WithProperty(dimension, value);
        _logger = config.CreateLogger();
    }

    public ILogger Log => _logger;

    /// <summary>Writes the collected lines to the event log, in one batch.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var lines = DrainEvents();
        if (lines.Count > 0) await _events.AppendBatchAsync(lines, cancellationToken);
    }

    /// <summary>The collected lines as Log events, for a caller that writes them together with its own events.</summary>
    public IReadOnlyList<EventRecord> DrainEvents() =>
        _collector.Drain().Select(e => new EventRecord(EventType.Log, _runId, e.Timestamp)
        {
            Step = _step,
            Level = e.Level.ToString(),
            Message = e.RenderMessage() + (e.Exception is null ? "" : $" ({e.Exception.GetType().Name}: {e.Exception.Message})"),
        }).ToList();

    public async ValueTask DisposeAsync()
    {
        await FlushAsync(CancellationToken.None);
        await _logger.DisposeAsync();
    }
}
