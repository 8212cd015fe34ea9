using Lakehouse.Core.Execution;

namespace Lakehouse.Core.Instance.Storage;

/// <summary>
/// The rules of a run's life, shared by every store: stores load the run under their lock, apply one of these, and write
/// back what changed, so the decisions are identical whatever the database.
/// </summary>
internal static class RunTransitions
{
    public static RunProgress Start(RunPlanState run, DateTimeOffset at)
    {
        // A second start (a duplicate launch job) must not queue anything twice.
        if (run.Status != RunStatus.Queued) return RunProgress.Nothing;
        run.Status = RunStatus.Running;
        run.StartedAt = at;
        run.RunChanged = true;
        return Advance(run, at);
    }

    public static bool TryStartStep(RunPlanState run, StepKey key, int attempt, DateTimeOffset at)
    {
        var step = run.Step(key);
        // An attempt older than the stored one is a stale duplicate job of a retried step.
        if (run.Status != RunStatus.Running || step.Status != StepStatus.Queued || attempt < step.Attempt) return false;
        step.Status = StepStatus.Running;
        step.Attempt = attempt;
        step.StartedAt = at;
        step.EndedAt = null;
        step.Error = null;
        step.Changed = true;
        return true;
    }

    public static void Requeue(RunPlanState run, StepKey key, int nextAttempt, DateTimeOffset now)
    {
        var step = run.Step(key);
        if (step.Status != StepStatus.Running)
            throw new InvalidOperationException($"Step '{key}' of run '{run.RunId}' is {step.Status}: only a Running step can be requeued.");
        if (nextAttempt <= step.Attempt)
            throw new ArgumentOutOfRangeException(nameof(nextAttempt), $"Step '{key}' of run '{run.RunId}' is at attempt {step.Attempt}: the next attempt must be higher, not {nextAttempt}.");
        step.Changed = true;
        if (run.Status == RunStatus.Canceling)
        {
            // Cancellation was asked while this attempt ran: there is no retry, and the run may now end.
            step.Status = StepStatus.Canceled;
            step.EndedAt = now;
            EndIfDone(run, now);
            return;
        }
        step.Status = StepStatus.Queued;
        step.Attempt = nextAttempt;
    }

    public static RunProgress Complete(RunPlanState run, StepKey key, StepOutcome outcome, DateTimeOffset at)
    {
        var step = run.Step(key);
        // A late duplicate report of an attempt that already ended changes nothing.
        if (step.Status.IsFinal()) return RunProgress.Nothing;
        if (step.Status != StepStatus.Running)
            throw new InvalidOperationException($"Step '{key}' of run '{run.RunId}' is {step.Status}: only a Running step can complete.");
        step.Status = outcome.Succeeded ? StepStatus.Succeeded : StepStatus.Failed;
        step.EndedAt = at;
        step.Error = outcome.Succeeded ? null : outcome.Error ?? "failed";
        step.Changed = true;
        return Advance(run, at);
    }

    public static bool Cancel(RunPlanState run, DateTimeOffset at)
    {
        if (run.Status.IsFinal()) return false;
        foreach (var step in run.Steps.Where(s => s.Status is StepStatus.Pending or StepStatus.Queued))
        {
            step.Status = StepStatus.Canceled;
            step.EndedAt = at;
            step.Changed = true;
        }
        run.RunChanged = true;
        if (run.Steps.Any(s => s.Status == StepStatus.Running))
        {
            run.Status = RunStatus.Canceling;
        }
        else
        {
            run.Status = RunStatus.Canceled;
            run.EndedAt = at;
        }
        return true;
    }

    private static RunProgress Advance(RunPlanState run, DateTimeOffset at)
    {
        var skipped = new List<StepKey>();
        // Skipping spreads one level per pass, so repeat until no Pending step has a failed upstream: that covers every transitive dependent.
        bool again;
        do
        {
            again = false;
            foreach (var step in run.Steps.Where(s => s.Status == StepStatus.Pending))
            {
                if (!step.DependsOn.Any(d => run.Step(d).Status is StepStatus.Failed or StepStatus.Skipped or StepStatus.Canceled)) continue;
                step.Status = StepStatus.Skipped;
                step.EndedAt = at;
                step.Changed = true;
                skipped.Add(step.Key);
                again = true;
            }
        } while (again);

        var ready = new List<StepKey>();
        if (run.Status == RunStatus.Running)
        {
            foreach (var step in run.Steps.Where(s => s.Status == StepStatus.Pending))
            {
                if (!step.DependsOn.All(d => run.Step(d).Status == StepStatus.Succeeded)) continue;
                step.Status = StepStatus.Queued;
                step.Changed = true;
                ready.Add(step.Key);
            }
        }
        return new RunProgress(ready, skipped, EndIfDone(run, at));
    }

    private static RunStatus? EndIfDone(RunPlanState run, DateTimeOffset at)
    {
        if (run.Status is not (RunStatus.Running or RunStatus.Canceling)) return null;
        if (run.Steps.Any(s => s.Status is StepStatus.Pending or StepStatus.Queued or StepStatus.Running)) return null;
        run.Status = run.Status == RunStatus.Canceling ? RunStatus.Canceled
            : run.Steps.All(s => s.Status == StepStatus.Succeeded) ? RunStatus.Succeeded
            : RunStatus.Failed;
        run.EndedAt = at;
        run.RunChanged = true;
        return run.Status;
    }
}
