using Lakehouse.Core.Execution;

namespace Lakehouse.Core.Instance.Storage;

/// <summary>
/// The rules of a run's life, the same whatever the database: a transaction locks a <see cref="RunSession"/> on the run and
/// applies one of these. Each returns what it decided; null when it changed nothing.
/// </summary>
internal static class RunTransitions
{
    private static readonly StepStatus[] Open = [StepStatus.Pending, StepStatus.Queued, StepStatus.Running];
    private static readonly StepStatus[] NotSucceeded = [StepStatus.Failed, StepStatus.Skipped, StepStatus.Canceled];

    public static async Task<RunProgress> StartAsync(RunSession run, DateTimeOffset at)
    {
        // A second start (a duplicate launch) must not queue anything twice.
        if (run.Status != RunStatus.Queued) return RunProgress.Nothing;
        run.SaveRun(RunStatus.Running, at, null);
        var ready = (await run.ReadyPendingAsync()).Select(Queue).ToList();
        run.SaveSteps(ready);
        return new RunProgress(ready.Select(s => s.Key).ToList(), [], ready.Count > 0 ? null : await EndIfDoneAsync(run, at));
    }

    /// <summary>The step now Running, or null when it was not Queued for this attempt (taken, canceled, a stale duplicate).</summary>
    public static async Task<PlanStep?> TryStartStepAsync(RunSession run, StepKey key, int attempt, DateTimeOffset at)
    {
        var step = await run.StepAsync(key);
        // An attempt older than the stored one is a stale duplicate job of a retried step.
        if (run.Status != RunStatus.Running || step.Status != StepStatus.Queued || attempt < step.Attempt) return null;
        step.Status = StepStatus.Running;
        step.Attempt = attempt;
        step.StartedAt = at;
        step.EndedAt = null;
        step.Error = null;
        run.SaveSteps([step]);
        return step;
    }

    /// <summary>
    /// Running → Queued as <paramref name="nextAttempt"/>; true when queued, false when the run is canceling and the step
    /// was canceled instead (the run may then end: see <see cref="RunSession.Status"/>).
    /// </summary>
    public static async Task<bool> RequeueAsync(RunSession run, StepKey key, int nextAttempt, DateTimeOffset at)
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
            step.EndedAt = at;
            run.SaveSteps([step]);
            await EndIfDoneAsync(run, at);
            return false;
        }
        step.Status = StepStatus.Queued;
        step.Attempt = nextAttempt;
        run.SaveSteps([step]);
        return true;
    }

    /// <summary>True when the step is Running at <paramref name="attempt"/> (any attempt when null).</summary>
    public static async Task<bool> IsRunningAsync(RunSession run, StepKey key, int? attempt)
    {
        var step = await run.StepAsync(key);
        run.Keep(step);
        return step.Status == StepStatus.Running && (attempt is null || step.Attempt == attempt);
    }

    /// <summary>The progress after the step ended, or null when the report changes nothing (a late duplicate, another attempt).</summary>
    public static async Task<RunProgress?> CompleteAsync(RunSession run, StepKey key, int? attempt, StepOutcome outcome, DateTimeOffset at)
    {
        var step = await run.StepAsync(key);
        // A late duplicate report of an attempt that already ended changes nothing.
        if (step.Status.IsFinal() || (attempt is { } a && a != step.Attempt)) return null;
        if (step.Status != StepStatus.Running)
            throw new InvalidOperationException($"Step '{key}' of run '{run.RunId}' is {step.Status}: only a Running step can complete.");
        step.Status = outcome.Succeeded ? StepStatus.Succeeded : outcome.Canceled ? StepStatus.Canceled : StepStatus.Failed;
        step.EndedAt = at;
        step.Error = outcome.Succeeded ? null : outcome.Error ?? (outcome.Canceled ? "canceled" : "failed");
        run.SaveSteps([step]);

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
        run.SaveSteps([.. ready, .. skipped]);
        // A step just queued is open, so the run cannot have ended: the check's query is saved on most completions.
        var ended = ready.Count > 0 ? null : await EndIfDoneAsync(run, at);
        return new RunProgress(ready.Select(s => s.Key).ToList(), skipped.Select(s => s.Key).ToList(), ended);
    }

    /// <summary>The status the cancel set (Canceling, or Canceled when nothing runs), or null when the run had already ended.</summary>
    public static async Task<RunStatus?> CancelAsync(RunSession run, DateTimeOffset at)
    {
        if (run.Status.IsFinal()) return null;
        var waiting = await run.StepsInAsync(StepStatus.Pending, StepStatus.Queued);
        foreach (var step in waiting)
        {
            step.Status = StepStatus.Canceled;
            step.EndedAt = at;
        }
        run.SaveSteps(waiting);
        if (await run.AnyStepInAsync(StepStatus.Running)) run.SaveRun(RunStatus.Canceling, null, null);
        else run.SaveRun(RunStatus.Canceled, null, at);
        return run.Status;
    }

    /// <summary>
    /// Ends a run whose process is gone: Running and Queued steps (whose jobs were lost with it) Failed with the reason
    /// (Canceled when the run was canceling), Pending steps Skipped; returns those steps, or null when the run had already ended.
    /// </summary>
    public static async Task<IReadOnlyList<PlanStep>?> AbandonAsync(RunSession run, string reason, DateTimeOffset at)
    {
        if (run.Status.IsFinal()) return null;
        var canceling = run.Status == RunStatus.Canceling;
        var open = await run.StepsInAsync(Open);
        foreach (var step in open)
        {
            var lost = step.Status is StepStatus.Running or StepStatus.Queued;
            step.Status = !lost ? StepStatus.Skipped : canceling ? StepStatus.Canceled : StepStatus.Failed;
            step.EndedAt = at;
            if (lost) step.Error = $"{reason}.";
        }
        run.SaveSteps(open);
        run.SaveRun(canceling ? RunStatus.Canceled : RunStatus.Failed, null, at);
        return open;
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
        run.SaveRun(final, null, at);
        return final;
    }
}
