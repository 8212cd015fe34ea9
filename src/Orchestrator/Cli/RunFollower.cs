using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using TmLakehouse.Orchestrator.Execution;

namespace TmLakehouse.Orchestrator.Cli;

/// <summary>Follows a run in the terminal: a line per step change, then the outcome; the exit code is 0 only on success.</summary>
internal static class RunFollower
{
    public static async Task<int> LaunchAndFollowAsync(CliSession session, RunRequest request, CancellationToken cancellationToken)
    {
        var runId = await session.Runtime.Coordinator.LaunchAsync(request, cancellationToken);
        return await FollowAsync(session, runId, cancellationToken);
    }

    public static async Task<int> FollowAsync(CliSession session, string runId, CancellationToken cancellationToken)
    {
        var output = session.Out;
        var steps = await session.Runtime.Instance.Runs.GetStepsAsync(runId, cancellationToken);
        output.WriteLine($"Run {runId}: {steps.Count} step(s). Follow with `tmlake run show {runId}`.");
        var started = session.Runtime.Clock.GetTimestamp();
        var run = await RunWatcher.WaitAsync(session.Runtime.Instance.Runs, runId, step => output.WriteLine(Describe(step)), TimeSpan.FromMilliseconds(100), cancellationToken);
        var finalSteps = await session.Runtime.Instance.Runs.GetStepsAsync(runId, cancellationToken);
        var counts = string.Join(", ", finalSteps.GroupBy(s => s.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}"));
        var elapsed = session.Runtime.Clock.GetElapsedTime(started);
        output.WriteLine($"Run {runId} {run.Status.ToString().ToLowerInvariant()} in {elapsed.TotalSeconds:0.0} s ({counts}).");
        foreach (var failed in finalSteps.Where(s => s.Status == StepStatus.Failed))
            output.WriteLine($"  {failed.Key}: {failed.Error}");
        return run.Status == RunStatus.Succeeded ? 0 : 1;
    }

    private static string Describe(StepRecord step)
    {
        var duration = step is { StartedAt: { } s, EndedAt: { } e } ? $" ({(e - s).TotalSeconds:0.00} s)" : "";
        return step.Status switch
        {
            StepStatus.Queued => $"  queued     {step.Key}",
            StepStatus.Running => $"  running    {step.Key}{(step.Attempt > 1 ? $" (attempt {step.Attempt})" : "")}",
            StepStatus.Succeeded => $"  succeeded  {step.Key}{duration}",
            StepStatus.Failed => $"  FAILED     {step.Key}{duration}: {step.Error}",
            StepStatus.Skipped => $"  skipped    {step.Key} (upstream failed)",
            StepStatus.Canceled => $"  canceled   {step.Key}",
            _ => $"  {step.Status.ToString().ToLowerInvariant(),-10} {step.Key}",
        };
    }
}
