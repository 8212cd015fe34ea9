using Lakehouse.Core.Execution;

namespace Lakehouse.Core.Instance;

/// <summary>
/// Runs and their step plans. Every transition that decides what runs next happens inside the store under a lock
/// (a transaction on the run), so two workers finishing sibling steps never enqueue the same downstream step twice.
/// </summary>
public interface IRunStore
{
    /// <summary>Starts a write-only transaction: several decisions and events, committed at once (the end of a step is one).</summary>
    IInstanceTransaction BeginTransaction();

    /// <summary>Stores a new run (status Queued) with its fixed plan; every step Pending.</summary>
    Task CreateRunAsync(RunRecord run, IReadOnlyList<StepRecord> steps, CancellationToken cancellationToken);

    Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken);
    Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken);
    Task<IReadOnlyList<StepRecord>> GetStepsAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Marks the run Running and moves every Pending step whose upstream steps all succeeded to Queued (a re-execution's plan may hold steps already Succeeded).</summary>
    Task<RunProgress> StartRunAsync(string runId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Queued → Running for this attempt; false when the step is not Queued (already taken, or canceled), so a duplicate job does nothing.</summary>
    Task<bool> TryStartStepAsync(string runId, StepKey step, int attempt, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Running → Queued with the attempt number raised, for a retry.</summary>
    Task RequeueStepAsync(string runId, StepKey step, int nextAttempt, CancellationToken cancellationToken);

    /// <summary>
    /// Running → Succeeded/Failed, then under the same lock: dependents whose upstream all succeeded → Queued; on failure every
    /// transitive dependent still Pending → Skipped; when no step is Pending, Queued or Running the run ends
    /// (Succeeded when every step did, Canceled when cancellation was asked, else Failed).
    /// The StepSkipped events of the skipped steps and the run's end event are written in the same transaction.
    /// </summary>
    Task<RunProgress> CompleteStepAsync(string runId, StepKey step, StepOutcome outcome, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Asks a run to stop: Pending and Queued steps → Canceled; the run ends Canceled once no step is Running. False if the run already ended.</summary>
    Task<bool> CancelRunAsync(string runId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Stores the lease, or renews its heartbeat when it is stored already.</summary>
    Task RenewLeaseAsync(ProcessLease lease, CancellationToken cancellationToken);

    /// <summary>Removes a lease (its process is stopping, or is gone and its runs were ended).</summary>
    Task ReleaseLeaseAsync(string processId, CancellationToken cancellationToken);

    Task<IReadOnlyList<ProcessLease>> GetLeasesAsync(CancellationToken cancellationToken);

    /// <summary>The runs not ended that depend on a process (<see cref="RunRecord.Owner"/> set), oldest first.</summary>
    Task<IReadOnlyList<RunRecord>> GetOwnedOpenRunsAsync(CancellationToken cancellationToken);

    /// <summary>Every step Queued in a run not ended, with the attempt it is queued as: what the job queue should hold.</summary>
    Task<IReadOnlyList<QueuedStep>> GetQueuedStepsAsync(CancellationToken cancellationToken);
}
