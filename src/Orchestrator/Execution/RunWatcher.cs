using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;

namespace TmLakehouse.Orchestrator.Execution;

/// <summary>
/// Waits for a run to end, reporting each step whose status changed (for live progress in the CLI and in tests). A step that ran
/// and ended between two polls is reported running first, then ended: a listener sees every start, however short the step.
/// </summary>
public static class RunWatcher
{
    public static async Task<RunRecord> WaitAsync(IRunStore runs, string runId, Action<StepRecord>? onStepChanged, TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        var seen = new Dictionary<StepKey, (StepStatus Status, int Attempt)>();
        while (true)
        {
            var run = await runs.GetRunAsync(runId, cancellationToken) ?? throw new RunLaunchException($"No run '{runId}'.");
            // Reading every step of a large plan on each poll costs more than the steps themselves: only done for a listener.
            var steps = onStepChanged is null ? [] : await runs.GetStepsAsync(runId, cancellationToken);
            foreach (var step in steps)
            {
                var known = seen.TryGetValue(step.Key, out var before);
                if (known && before == (step.Status, step.Attempt)) continue;
                seen[step.Key] = (step.Status, step.Attempt);
                if (!known && step.Status == StepStatus.Pending) continue;
                if (RanUnseen(step, known ? before : null)) onStepChanged!(step with { Status = StepStatus.Running, EndedAt = null, Error = null });
                onStepChanged!(step);
            }
            if (run.Status.IsFinal()) return run;
            await Task.Delay(pollInterval, cancellationToken);
        }
    }

    private static bool RanUnseen(StepRecord step, (StepStatus Status, int Attempt)? before) =>
        step.Status is StepStatus.Succeeded or StepStatus.Failed or StepStatus.Canceled && step.StartedAt is not null &&
        before != (StepStatus.Running, step.Attempt);
}
