using Lakehouse.Core.Instance;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Lakehouse.Core.Execution.Steps;

/// <summary>
/// The logger of one step attempt: every line carries run_id, asset_key, partition (and its dimensions) and step; lines go to
/// the process log, to the run's compact-JSON file under TM_HOME/logs/runs (kept open by <see cref="RunLogFiles"/>), and (from
/// Information up) to the run's event log.
/// </summary>
internal sealed class StepLog : IAsyncDisposable
{
    private readonly CollectingSink _collector = new();
    private readonly Logger _logger;
    private readonly RunLogFiles _files;
    private readonly RunLogFiles.Entry _file;
    private readonly string _runId;
    private readonly StepKey _step;

    public StepLog(ILogger processLog, RunLogFiles files, string runId, StepKey step)
    {
        _runId = runId;
        _step = step;
        _files = files;
        _file = files.Acquire(runId);
        var config = new LoggerConfiguration()
            .MinimumLevel.Debug()
            .Enrich.WithProperty("run_id", runId)
            .Enrich.WithProperty("asset_key", step.Asset.Value)
            .Enrich.WithProperty("partition", step.Partition?.Value ?? "")
            .Enrich.WithProperty("step", step.ToString())
            .WriteTo.Logger(processLog)
            .WriteTo.Logger(_file.Logger)
            .WriteTo.Sink(_collector, LogEventLevel.Information);
        foreach (var (dimension, value) in step.Partition?.Dimensions ?? new Dictionary<string, string>())
            config = config.Enrich.WithProperty(dimension, value);
        _logger = config.CreateLogger();
    }

    public ILogger Logger => _logger;

    /// <summary>The lines collected so far, as Log events.</summary>
    public IEnumerable<EventRecord> Drain() =>
        _collector.Drain().Select(e => new EventRecord(EventType.Log, _runId, e.Timestamp)
        {
            Step = _step,
            Level = e.Level.ToString(),
            Message = e.RenderMessage() + (e.Exception is null ? "" : $" ({e.Exception.GetType().Name}: {e.Exception.Message})"),
        });

    public async ValueTask DisposeAsync()
    {
        // The step's logger only: the run's file stays open for the run's next steps.
        await _logger.DisposeAsync();
        _files.Release(_file);
    }
}
