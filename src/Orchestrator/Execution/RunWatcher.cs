using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;

namespace TmLakehouse.Orchestrator.Execution;

/// <summary>Waits for a run to end, reporting each step whose status changed (for live progress in the CLI and in tests).</summary>
public static class RunWatcher
{
    public static async Task<RunRecord> WaitAsync(IRunStore runs, string runId, Action<StepRecord>? onStepChanged, TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        var seen = new Dictionary<StepKey, StepStatus>();
        while (true)
        {
            var run = await runs.GetRunAsync(runId, cancellationToken) ?? throw new RunLaunchException($"No run '{runId}'.");
            // Reading every step of a large plan on each poll costs more than the steps themselves: only done for a listener.
            var steps = onStepChanged is null ? [] : await runs.GetStepsAsync(runId, cancellationToken);
            foreach (var step in steps)
            {
                if (seen.TryGetValue(step.Key, out var before) && before == step.Status) continue;
                var first = !seen.ContainsKey(step.Key);
                seen[step.Key] = step.Status;
                if (!(first && step.Status == StepStatus.Pending)) onStepChanged!(step);
            }
            if (run.Status.IsFinal()) return run;
            await Task.Delay(pollInterval, cancellationToken);
        }
    }
}
