using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using TmLakehouse.Orchestrator.Execution;

namespace TmLakehouse.Orchestrator.Cli;

/// <summary>
/// Follows a run in the terminal: a line per step start and end (queued steps are not news), each end with the count done and an
/// estimate of the time left; on a terminal a progress bar under them. Then the outcome. Exits 0 on success, 3 when a step failed because the
/// machine did (full or read-only disk, a server out of reach; one `error:` line says which), else 1.
/// </summary>
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
        var progress = new Progress(steps.Count, session.Runtime.Clock, started, terminal: ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected);
        var run = await RunWatcher.WaitAsync(session.Runtime.Instance.Runs, runId, step => progress.Write(output, step, Describe(step)), TimeSpan.FromMilliseconds(100), cancellationToken);
        progress.Clear(output);
        var finalSteps = await session.Runtime.Instance.Runs.GetStepsAsync(runId, cancellationToken);
        var counts = string.Join(", ", finalSteps.GroupBy(s => s.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}"));
        var elapsed = session.Runtime.Clock.GetElapsedTime(started);
        output.WriteLine($"Run {runId} {run.Status.ToString().ToLowerInvariant()} in {elapsed.TotalSeconds:0.0} s ({counts}).");
        foreach (var failed in finalSteps.Where(s => s.Status == StepStatus.Failed))
            output.WriteLine($"  {failed.Key}: {failed.Error}");
        if (run.Status == RunStatus.Succeeded) return ExitCodes.Success;
        if (await EnvironmentFailureOfAsync(session, runId, cancellationToken) is { } environment)
        {
            session.Environment.Error.WriteLine($"error: {environment.Step}: {environment.Message}");
            return ExitCodes.Environment;
        }
        return ExitCodes.Failed;
    }

    /// <summary>The first failed step whose end event says the machine failed, not the step.</summary>
    private static async Task<EventRecord?> EnvironmentFailureOfAsync(CliSession session, string runId, CancellationToken cancellationToken)
    {
        var failures = await session.Runtime.Instance.Events.QueryAsync(new EventQuery { RunId = runId, Types = [EventType.StepFailed] }, cancellationToken);
        return failures.FirstOrDefault(e => e.Metadata.TryGetValue(Lakehouse.Core.EnvironmentFailure.MetadataKey, out var kind) &&
                                            kind.Display() == Lakehouse.Core.EnvironmentFailure.MetadataValue);
    }

    /// <summary>Counts ended steps and estimates the rest from the mean so far (steps of one run are alike enough for a rough figure).</summary>
    private sealed class Progress(int total, TimeProvider clock, long started, bool terminal)
    {
        private int _ended;

        public void Write(TextWriter output, StepRecord step, string line)
        {
            if (step.Status is StepStatus.Queued or StepStatus.Pending) return;
            var ended = step.Status is StepStatus.Succeeded or StepStatus.Failed or StepStatus.Skipped or StepStatus.Canceled;
            if (terminal && !ended) return;
            if (ended) _ended++;
            Clear(output);
            output.WriteLine(ended ? $"{line}  [{_ended}/{total}{Left()}]" : line);
            if (terminal) output.Write($"{Bar()} {_ended}/{total}{Left()}");
        }

        public void Clear(TextWriter output)
        {
            if (terminal) output.Write("\r\u001b[K");
        }

        private string Left()
        {
            if (_ended == 0 || _ended >= total) return "";
            var seconds = clock.GetElapsedTime(started).TotalSeconds / _ended * (total - _ended);
            return $", ~{Math.Ceiling(seconds):0} s left";
        }

        private string Bar()
        {
            const int width = 30;
            var filled = total == 0 ? width : _ended * width / total;
            return "[" + new string('#', filled) + new string('.', width - filled) + "]";
        }
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
