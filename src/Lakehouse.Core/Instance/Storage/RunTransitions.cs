using Lakehouse.Core.Execution;

namespace Lakehouse.Core.Instance.Storage;

/// <summary>
/// The rules of a run's life, shared by every store: each store opens a locked <see cref="RunSession"/> on the run and
/// applies one of these, so the decisions are identical whatever the database.
/// </summary>
internal static class RunTransitions
{
    private static readonly StepStatus[] Open = [StepStatus.Pending, StepStatus.Queued, StepStatus.Running];
    private static readonly StepStatus[] NotSucceeded = [StepStatus.Failed, StepStatus.Skipped, StepStatus.Canceled];

    public static async Task<RunProgress> StartAsync(RunSession run, DateTimeOffset at)
    {
        // A second start (a duplicate launch job) must not queue anything twice.
        if (run.Status != RunStatus.Queued) return RunProgress.Nothing;
        await run.SaveRunAsync(RunStatus.Running, at, null);
        var ready = (await run.ReadyPendingAsync()).Select(Queue).ToList();
        await run.SaveStepsAsync(ready);
        return new RunProgress(ready.Select(s => s.Key).ToList(), [], await EndIfDoneAsync(run, at));
    }

    public static async Task<bool> TryStartStepAsync(RunSession run, StepKey key, int attempt, DateTimeOffset at)
    {
        var step = await run.StepAsync(key);
        // An attempt older than the stored one is a stale duplicate job of a retried step.
        if (run.Status != RunStatus.Running || step.Status != StepStatus.Queued || attempt < step.Attempt) return false;
        step.Status = StepStatus.Running;
        step.Attempt = attempt;
        step.StartedAt = at;
        step.EndedAt = null;
        step.Error = null;
        await run.SaveStepsAsync([step]);
        return true;
    }

    public static async Task RequeueAsync(RunSession run, StepKey key, int nextAttempt, DateTimeOffset now)
    {
        var step = await run.StepAsync(key);
        if (step.Status != StepStatus.Running)
            throw new InvalidOperationException($"Step '{key}' of run '{run.RunId}' is {step.Status}: only a Running step can be requeued.");
        if (nextAttempt <= step.Attempt)
            throw new ArgumentOutOfRangeException(nameof(nextAttempt), $"Step '{key}' of run '{run.RunId}' is at attempt {step.Attempt}: the next attempt must be higher, not {nextAttempt}.");
        if (run.Status == RunStatus.Canceling)
        {
            // Cancellation was asked while this attempt ran: there is no retry, and the run may now end.
            step.Status = StepStatus.Canceled;
            step.EndedAt = now;
            await run.SaveStepsAsync([step]);
            await EndIfDoneAsync(run, now);
            return;
        }
        step.Status = StepStatus.Queued;
        step.Attempt = nextAttempt;
        await run.SaveStepsAsync([step]);
    }

    public static async Task<RunProgress> CompleteAsync(RunSession run, StepKey key, StepOutcome outcome, DateTimeOffset at)
    {
        var step = await run.StepAsync(key);
        // A late duplicate report of an attempt that already ended changes nothing.
        if (step.Status.IsFinal()) return RunProgress.Nothing;
        if (step.Status != StepStatus.Running)
            throw new InvalidOperationException($"Step '{key}' of run '{run.RunId}' is {step.Status}: only a Running step can complete.");
        step.Status = outcome.Succeeded ? StepStatus.Succeeded : StepStatus.Failed;
        step.EndedAt = at;
        step.Error = outcome.Succeeded ? null : outcome.Error ?? "failed";
        await run.SaveStepsAsync([step]);

        var ready = new List<PlanStep>();
        var skipped = new List<PlanStep>();
        var skippedKeys = new HashSet<StepKey>();
        if (outcome.Succeeded)
        {
            // Read after this step's own save, under the run's lock: of two siblings finishing at once, only the second sees both done.
            if (run.Status == RunStatus.Running)
                ready.AddRange((await run.ReadyPendingAsync(key)).Select(Queue));
        }
        else
        {
            // Walk down from the failed step: every dependent still waiting is skipped, and so are its own dependents.
            var frontier = new Queue<StepKey>([key]);
            while (frontier.TryDequeue(out var upstream))
                foreach (var dependent in await run.DependentsAsync(upstream))
                {
                    // Saved at the end, so a step reached twice (a diamond below the failure) still reads Pending the second time.
                    if (dependent.Status != StepStatus.Pending || !skippedKeys.Add(dependent.Key)) continue;
                    dependent.Status = StepStatus.Skipped;
                    dependent.EndedAt = at;
                    skipped.Add(dependent);
                    frontier.Enqueue(dependent.Key);
                }
        }
        await run.SaveStepsAsync([.. ready, .. skipped]);
        return new RunProgress(ready.Select(s => s.Key).ToList(), skipped.Select(s => s.Key).ToList(), await EndIfDoneAsync(run, at));
    }

    public static async Task<bool> CancelAsync(RunSession run, DateTimeOffset at)
    {
        if (run.Status.IsFinal()) return false;
        var waiting = await run.StepsInAsync(StepStatus.Pending, StepStatus.Queued);
        foreach (var step in waiting)
        {
            step.Status = StepStatus.Canceled;
            step.EndedAt = at;
        }
        await run.SaveStepsAsync(waiting);
        if (await run.AnyStepInAsync(StepStatus.Running)) await run.SaveRunAsync(RunStatus.Canceling, null, null);
        else await run.SaveRunAsync(RunStatus.Canceled, null, at);
        return true;
    }

    private static PlanStep Queue(PlanStep step)
    {
        step.Status = StepStatus.Queued;
        return step;
    }

    private static async Task<RunStatus?> EndIfDoneAsync(RunSession run, DateTimeOffset at)
    {
        if (run.Status is not (RunStatus.Running or RunStatus.Canceling)) return null;
        if (await run.AnyStepInAsync(Open)) return null;
        var final = run.Status == RunStatus.Canceling ? RunStatus.Canceled
            : await run.AnyStepInAsync(NotSucceeded) ? RunStatus.Failed
            : RunStatus.Succeeded;
        await run.SaveRunAsync(final, null, at);
        return final;
    }
}
