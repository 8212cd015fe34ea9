using Lakehouse.Core.Instance;

namespace Lakehouse.Core.Execution.Steps;

/// <summary>
/// Gives the attempt its own logger (see <see cref="StepLog"/>), logs its start and end, and hands the collected lines to the
/// step's end, which writes them with the end event in one transaction.
/// </summary>
public sealed class StepLogScope(IStepRunner inner, Serilog.ILogger processLog, RunLogFiles files, TimeProvider clock) : IStepRunner
{
    public async Task<StepResult> RunAsync(StepContext step, CancellationToken cancellationToken)
    {
        await using var log = new StepLog(processLog, files, step.RunId, step.Step);
        step.Log = log.Logger;
        try
        {
            log.Logger.Information("Step {step} started (attempt {attempt})", step.Step.ToString(), step.Attempt);
            var result = await inner.RunAsync(step, cancellationToken);
            if (result.IsFinal)
                log.Logger.Information("Step {step} {status} in {duration_ms} ms ({row_count} rows)", step.Step.ToString(),
                    result.Kind.ToString().ToLowerInvariant(), (long)clock.GetElapsedTime(step.StartedTimestamp).TotalMilliseconds, RowCount(result.Metadata));
            return result;
        }
        finally
        {
            step.Events.AddRange(log.Drain());
        }
    }

    private static long? RowCount(IReadOnlyDictionary<string, MetadataValue> metadata) =>
        metadata.TryGetValue("rows_out", out var v) && v.Value.TryGetInt64(out var n) ? n : null;
}
