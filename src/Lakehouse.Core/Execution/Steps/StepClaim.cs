using Lakehouse.Core.Assets;
using Lakehouse.Core.Instance;

namespace Lakehouse.Core.Execution.Steps;

/// <summary>
/// The pipeline's entry, one per delivery of a step job: claims the attempt (a duplicate delivery claims nothing), runs the
/// links inside, and ends the attempt in one instance transaction (its events, its status, the skips or enqueues of what
/// follows, the run's end), then hands the newly ready steps to the queue.
/// With <c>successorsInline</c> the first step that a step's end makes ready runs next on this same worker, in the same
/// job, instead of going through the queue (which cost more than a trivial step); the others are queued. The job's
/// delivery marks each step it claims, so a redelivery after its worker died recovers the step that worker was in.
/// With <c>claimSuccessorInEnd</c> as well, the step's end commit also claims that next step: one instance transaction
/// per step instead of two. Only for a queue that never delivers a job again (in memory, gone with its process): the next
/// step is claimed before the delivery could mark it, so a redelivery could not recover it.
/// </summary>
public sealed class StepClaim(AssetGraph graph, LakehouseInstance instance, IStepRunner next, IStepQueue queue, TimeProvider clock, Serilog.ILogger processLog,
    bool successorsInline = false, bool claimSuccessorInEnd = false)
{
    /// <summary>
    /// Runs the attempt; when the claim fails because an earlier delivery of this same job claimed it and its worker stopped
    /// or died mid-step, the attempt is declared lost and the step is queued again as the next attempt.
    /// </summary>
    public async Task ExecuteAsync(string runId, StepKey step, int attempt, IStepDelivery? delivery, CancellationToken workerShutdown)
    {
        var earlier = delivery?.EarlierClaim();
        // The earlier delivery died in a step it ran after the job's own (whose claim below then finds it ended).
        if (earlier is { } lost && lost != (step, attempt)) await RecoverLostAttemptAsync(runId, lost.Step, lost.Attempt, workerShutdown);
        var follow = await ExecuteAttemptAsync(new Successor(new QueuedStep(runId, step, attempt, TimeSpan.Zero), null), delivery,
            earlier == (step, attempt), workerShutdown);
        while (follow is { } inline && !workerShutdown.IsCancellationRequested)
            follow = await ExecuteAttemptAsync(inline, delivery, redelivered: false, workerShutdown);
        if (follow is not { } left) return;
        // The worker is stopping: the step kept for it goes to the queue after all (as its next attempt, if its claim is stored).
        if (left.Claimed is null) queue.Enqueue(left.Step);
        else await RequeueUnstartedAsync(left.Step);
    }

    /// <summary>A step kept to run next on this worker; <see cref="Claimed"/> when the end that made it ready also claimed it.</summary>
    private sealed record Successor(QueuedStep Step, StepRecord? Claimed);

    /// <summary>One attempt; returns the ready step kept to run next on this worker (see successorsInline), if any.</summary>
    private async Task<Successor?> ExecuteAttemptAsync(Successor attempt, IStepDelivery? delivery, bool redelivered, CancellationToken workerShutdown)
    {
        var (runId, step, number, _) = attempt.Step;
        var definition = graph.Get(step.Asset);
        var claimed = attempt.Claimed ?? await ClaimAsync(runId, step, number, delivery, workerShutdown);
        if (claimed is null)
        {
            if (redelivered) await RecoverLostAttemptAsync(runId, step, number, workerShutdown);
            return null;
        }

        var context = new StepContext
        {
            RunId = runId,
            Step = step,
            Attempt = number,
            Definition = definition,
            UpstreamPartitions = claimed.UpstreamPartitions,
            StartedTimestamp = clock.GetTimestamp(),
            Log = processLog,
        };
        try
        {
            var result = await next.RunAsync(context, workerShutdown);
            return await EndAsync(context, result, claimNext: successorsInline && claimSuccessorInEnd && !workerShutdown.IsCancellationRequested);
        }
        catch (Exception) when (workerShutdown.IsCancellationRequested)
        {
            // The worker is stopping: the step stays Running and the queue hands this job out again, whose next delivery
            // recovers the attempt (see RecoverLostAttemptAsync). What the attempt logged is kept.
            await WriteAsync(t => t.Append(context.Events.Where(e => e.Type == EventType.Log)), CancellationToken.None);
            throw;
        }
        catch (Exception ex)
        {
            // The links handle the asset's own exceptions; this is the machinery failing around it (a summary upload, the
            // instance). The step must still end, or its run would wait for it forever.
            if (!await TryFailClaimedAsync(context, ex)) throw;
            return null;
        }
    }

    /// <summary>Queued → Running for this attempt in its own commit, the delivery marked first; null when it was not Queued (a duplicate job).</summary>
    private async Task<StepRecord?> ClaimAsync(string runId, StepKey step, int attempt, IStepDelivery? delivery, CancellationToken cancellationToken)
    {
        delivery?.MarkClaiming(step, attempt);
        var now = clock.GetUtcNow();
        var claim = instance.BeginTransaction();
        claim.ClaimStep(runId, step, attempt, now, Started(runId, step, attempt, now));
        return (await claim.CommitAsync(cancellationToken)).Claimed.FirstOrDefault();
    }

    private EventRecord Started(string runId, StepKey step, int attempt, DateTimeOffset at) => new(EventType.StepStarted, runId, at)
    {
        Step = step,
        OtherAssets = graph.Get(step.Asset).OtherSpecs.Select(s => s.Key).ToList(),
        Message = attempt == 1 ? "Step started." : $"Step started (attempt {attempt}).",
    };

    private async Task<Successor?> EndAsync(StepContext context, StepResult result, bool claimNext)
    {
        var now = clock.GetUtcNow();
        var end = instance.BeginTransaction();
        end.Append(context.Events);
        switch (result.Kind)
        {
            case StepResultKind.Retry:
                end.RequeueStep(context.RunId, context.Step, context.Attempt, now, result.RetryDelay, new EventRecord(EventType.StepRetry, context.RunId, now)
                {
                    Step = context.Step,
                    Level = "Warning",
                    Message = result.Error ?? $"Attempt {context.Attempt} failed; retrying.",
                });
                break;
            case StepResultKind.Succeeded:
                end.CompleteStep(context.RunId, context.Step, context.Attempt, StepOutcome.Success, now, new EventRecord(EventType.StepSucceeded, context.RunId, now)
                {
                    Step = context.Step,
                    Message = $"Step succeeded in {(long)clock.GetElapsedTime(context.StartedTimestamp).TotalMilliseconds} ms.",
                });
                break;
            case StepResultKind.Canceled:
                var reason = result.Error ?? "Canceled.";
                end.CompleteStep(context.RunId, context.Step, context.Attempt, StepOutcome.Cancellation(reason), now, new EventRecord(EventType.StepCanceled, context.RunId, now)
                {
                    Step = context.Step,
                    OtherAssets = context.OtherAssets,
                    Level = "Warning",
                    Message = reason,
                });
                break;
            default:
                var error = result.Error ?? "Step failed.";
                end.CompleteStep(context.RunId, context.Step, context.Attempt, StepOutcome.Failure(error), now, Failed(context, error, result.Metadata, now));
                break;
        }
        if (claimNext) end.ClaimReadyStep(now, ready => Started(ready.RunId, ready.Step, 1, now));
        var commit = await end.CommitAsync(CancellationToken.None);
        context.Events.Clear();
        if (claimNext && commit.Claimed.FirstOrDefault() is { } claimed)
        {
            Enqueue(commit);
            return new Successor(new QueuedStep(claimed.RunId, claimed.Key, claimed.Attempt, TimeSpan.Zero), claimed);
        }
        var kept = successorsInline ? commit.ToEnqueue.FirstOrDefault(s => s.Delay <= TimeSpan.Zero) : null;
        foreach (var queued in commit.ToEnqueue)
            if (!ReferenceEquals(queued, kept)) queue.Enqueue(queued);
        return kept is null ? null : new Successor(kept, null);
    }

    /// <summary>A step the end of its upstream claimed for this worker, which stopped before beginning it: queued again as its next attempt.</summary>
    private Task RequeueUnstartedAsync(QueuedStep step) => RequeueAsync(step.RunId, step.Step, step.Attempt,
        $"The worker stopped before it began attempt {step.Attempt}. Running it again as attempt {step.Attempt + 1}.", CancellationToken.None);

    /// <summary>Running at <paramref name="attempt"/> → Queued as the next attempt, with a warning saying why, and enqueued; false when the step had moved on.</summary>
    private async Task<bool> RequeueAsync(string runId, StepKey step, int attempt, string why, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var commit = await WriteAsync(t => t.RequeueStep(runId, step, attempt, now, TimeSpan.Zero,
            new EventRecord(EventType.StepRetry, runId, now) { Step = step, Level = "Warning", Message = why }), cancellationToken);
        Enqueue(commit);
        return commit.ToEnqueue.Count > 0;
    }

    /// <summary>Ends a claimed attempt that is still Running at this attempt as failed; false when the step already moved on.</summary>
    private async Task<bool> TryFailClaimedAsync(StepContext context, Exception ex)
    {
        processLog.Error(ex, "Step {step} of run {run_id} failed outside its asset", context.Step.ToString(), context.RunId);
        var error = $"The worker failed around the step: {FailureClassifier.Describe(ex)}";
        var now = clock.GetUtcNow();
        var fail = instance.BeginTransaction();
        fail.Append(context.Events);
        fail.CompleteStep(context.RunId, context.Step, context.Attempt, StepOutcome.Failure(error), now,
            Failed(context, error, FailureClassifier.FailureMetadata(ex), now));
        var commit = await fail.CommitAsync(CancellationToken.None);
        if (commit.Completed.Count == 0) return false;
        context.Events.Clear();
        Enqueue(commit);
        return true;
    }

    /// <summary>
    /// The attempt this job claimed earlier never ended (its worker was killed or shut down mid-step): unless the step moved
    /// on since, the attempt is recorded as lost and the step is queued again as the next attempt.
    /// </summary>
    private async Task RecoverLostAttemptAsync(string runId, StepKey step, int attempt, CancellationToken cancellationToken)
    {
        if (await RequeueAsync(runId, step, attempt,
                $"Attempt {attempt} was lost: the worker running it stopped before the step ended. Running it again as attempt {attempt + 1}.", cancellationToken))
            processLog.Warning("Step {step} of run {run_id}: attempt {attempt} was lost with its worker; queuing attempt {next}", step.ToString(), runId, attempt, attempt + 1);
    }

    private static EventRecord Failed(StepContext context, string error, IReadOnlyDictionary<string, MetadataValue> metadata, DateTimeOffset at) =>
        new(EventType.StepFailed, context.RunId, at)
        {
            Step = context.Step,
            OtherAssets = context.OtherAssets,
            Level = "Error",
            Message = error,
            Metadata = metadata,
        };

    private async Task<InstanceCommit> WriteAsync(Action<IInstanceTransaction> operations, CancellationToken cancellationToken)
    {
        var transaction = instance.BeginTransaction();
        operations(transaction);
        return await transaction.CommitAsync(cancellationToken);
    }

    // Enqueued only after the commit, so a job never names an attempt the store does not hold Queued. Were this process to
    // die between the two, the step would stay Queued with no job (what leases and heartbeats are for); a job delivered
    // twice is harmless: the second delivery's claim finds the step no longer Queued and claims nothing.
    private void Enqueue(InstanceCommit commit)
    {
        foreach (var queued in commit.ToEnqueue) queue.Enqueue(queued);
    }
}
