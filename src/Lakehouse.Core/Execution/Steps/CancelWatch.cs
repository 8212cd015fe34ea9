using Lakehouse.Core.Instance;

namespace Lakehouse.Core.Execution.Steps;

/// <summary>
/// Watches the step's run while the step runs and cancels the step's token when the run is asked to stop (from any
/// process: it reads the run store); a step stopped that way ends canceled.
/// </summary>
public sealed class CancelWatch(IStepRunner inner, IRunStore runs, TimeProvider clock, TimeSpan pollInterval) : IStepRunner
{
    /// <summary>How often a running step reads whether its run was canceled, unless told otherwise.</summary>
    public static TimeSpan DefaultPollInterval { get; } = TimeSpan.FromMilliseconds(250);

    public async Task<StepResult> RunAsync(StepContext step, CancellationToken cancellationToken)
    {
        using var canceled = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopWatching = new CancellationTokenSource();
        var watcher = WatchAsync(step.RunId, canceled, stopWatching.Token);
        try
        {
            return await inner.RunAsync(step, canceled.Token);
        }
        catch (Exception) when (canceled.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The step ends Canceled (not Failed); its partition's status shows the cancel beside its last materialization.
            return StepResult.Canceled("Canceled: the run was asked to stop.");
        }
        finally
        {
            await stopWatching.CancelAsync();
            await watcher;
        }
    }

    private async Task WatchAsync(string runId, CancellationTokenSource cancel, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                // Most steps end before the first poll: stopping the delay then must not cost an exception per step.
                await Task.Delay(pollInterval, clock, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (stop.IsCancellationRequested) return;
                var run = await runs.GetRunAsync(runId, stop);
                if (run?.Status is RunStatus.Canceling or RunStatus.Canceled)
                {
                    await cancel.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
