using Lakehouse.Core.Execution;

namespace Lakehouse.Core.Instance;

/// <summary>
/// A write-only transaction on the instance, in the way of Hangfire's: operations are recorded, and <see cref="CommitAsync"/>
/// applies them in order in one database transaction (locking each run it decides on) and returns what they decided.
/// Nothing is written before the commit; a transaction never committed writes nothing.
/// </summary>
/// <remarks>
/// Decisions write what follows from them in the same transaction: a StepSkipped event for every step a failure skips,
/// the run's end event when it ends. A caller acts on the result (enqueues <see cref="InstanceCommit.ToEnqueue"/>) only
/// after the commit.
/// </remarks>
public interface IInstanceTransaction
{
    /// <summary>Stores a new run (status Queued) with its fixed plan.</summary>
    void CreateRun(RunRecord run, IReadOnlyList<StepRecord> steps);

    /// <summary>Marks the run Running and queues every Pending step whose upstream steps all succeeded.</summary>
    void StartRun(string runId, DateTimeOffset at);

    /// <summary>Queued → Running for this attempt; when claimed, <paramref name="started"/> is written and the step is in <see cref="InstanceCommit.Claimed"/>.</summary>
    void ClaimStep(string runId, StepKey step, int attempt, DateTimeOffset at, EventRecord? started = null);

    /// <summary>
    /// Claims, as attempt 1, the first step that the operations before this one made ready to run now (Queued → Running,
    /// <paramref name="started"/> of it written): it is then in <see cref="InstanceCommit.Claimed"/> and not in ToEnqueue.
    /// For a worker that runs that step next itself: one commit ends a step and starts the next.
    /// </summary>
    void ClaimReadyStep(DateTimeOffset at, Func<RunStep, EventRecord> started);

    /// <summary>
    /// When the step is Running (at <paramref name="attempt"/>, if given): Succeeded or Failed, <paramref name="ended"/> written,
    /// its ready dependents queued or, on failure, every waiting dependent skipped; the run ends when nothing is left.
    /// </summary>
    void CompleteStep(string runId, StepKey step, int? attempt, StepOutcome outcome, DateTimeOffset at, EventRecord? ended = null);

    /// <summary>
    /// When the step is Running at <paramref name="attempt"/>: Queued again as the next attempt, to be enqueued after
    /// <paramref name="delay"/>, with <paramref name="reason"/> written; while the run is canceling, Canceled instead.
    /// </summary>
    void RequeueStep(string runId, StepKey step, int attempt, DateTimeOffset at, TimeSpan delay, EventRecord? reason = null);

    /// <summary>Asks the run to stop: waiting steps are canceled; it ends Canceled once no step is Running.</summary>
    void CancelRun(string runId, DateTimeOffset at);

    /// <summary>
    /// Ends a run whose process is gone: its Running and Queued steps fail with <paramref name="reason"/> (a StepFailed event
    /// each, so their partitions no longer read running), its Pending steps are skipped, and the run ends Failed (Canceled when a
    /// cancel was asked); nothing when it already ended. It can then be re-executed.
    /// </summary>
    void AbandonRun(string runId, string reason, DateTimeOffset at);

    /// <summary>Writes events (and the latest statuses they move).</summary>
    void Append(IEnumerable<EventRecord> records);

    Task<InstanceCommit> CommitAsync(CancellationToken cancellationToken);
}
