using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance.Storage;

namespace Lakehouse.Core.Instance.Sql;

/// <summary>
/// The write-only transaction of the SQL instance: operations wait in a list, and the commit opens one write transaction,
/// locks each run on its first decision, applies the operations in order and commits once.
/// </summary>
internal sealed class SqlInstanceTransaction(SqlDialect dialect) : IInstanceTransaction
{
    private readonly List<Func<Applied, Task>> _operations = [];
    private readonly List<(RunRecord Run, IReadOnlyList<StepRecord> Steps)> _created = [];

    /// <summary>New runs go in first, all in one statement; an operation on a run later in the list was refused before, so the order it gains changes nothing.</summary>
    public void CreateRun(RunRecord run, IReadOnlyList<StepRecord> steps)
    {
        PlanValidation.Check(run, steps);
        _created.Add((run, steps));
    }

    public void StartRun(string runId, DateTimeOffset at) => _operations.Add(async applied =>
    {
        var run = await applied.RunAsync(runId, null);
        applied.Record(run, await RunTransitions.StartAsync(run, at), at);
    });

    public void ClaimStep(string runId, StepKey step, int attempt, DateTimeOffset at, EventRecord? started = null) => _operations.Add(async applied =>
    {
        var run = await applied.RunAsync(runId, step);
        if (await RunTransitions.TryStartStepAsync(run, step, attempt, at) is not { } claimed) return;
        if (started is not null) run.Append([started]);
        applied.Claimed.Add(claimed.ToRecord(runId));
    });

    public void ClaimReadyStep(DateTimeOffset at, Func<RunStep, EventRecord> started) => _operations.Add(async applied =>
    {
        var index = applied.ToEnqueue.FindIndex(q => q.Attempt == 1 && q.Delay <= TimeSpan.Zero);
        if (index < 0) return;
        var ready = applied.ToEnqueue[index];
        var run = await applied.RunAsync(ready.RunId, ready.Step);
        if (await RunTransitions.TryStartStepAsync(run, ready.Step, 1, at) is not { } claimed) return;
        run.Append([started(new RunStep(ready.RunId, ready.Step))]);
        applied.ToEnqueue.RemoveAt(index);
        applied.Claimed.Add(claimed.ToRecord(ready.RunId));
    });

    public void CompleteStep(string runId, StepKey step, int? attempt, StepOutcome outcome, DateTimeOffset at, EventRecord? ended = null) =>
        _operations.Add(async applied =>
        {
            var run = await applied.RunAsync(runId, step);
            if (await RunTransitions.CompleteAsync(run, step, attempt, outcome, at) is not { } progress) return;
            // The end event goes in before the skips and the run's end it causes, so the log reads in the order things happened.
            if (ended is not null) run.Append([ended]);
            applied.Completed.Add(new RunStep(runId, step));
            applied.Record(run, progress, at);
        });

    public void RequeueStep(string runId, StepKey step, int attempt, DateTimeOffset at, TimeSpan delay, EventRecord? reason = null) =>
        _operations.Add(async applied =>
        {
            var run = await applied.RunAsync(runId, step);
            if (!await RunTransitions.IsRunningAsync(run, step, attempt)) return;
            var before = run.Status;
            var queued = await RunTransitions.RequeueAsync(run, step, attempt + 1, at);
            if (reason is not null && queued) run.Append([reason]);
            if (queued) applied.ToEnqueue.Add(new QueuedStep(runId, step, attempt + 1, delay));
            applied.Record(run, new RunProgress([], [], run.Status != before && run.Status.IsFinal() ? run.Status : null), at);
        });

    /// <summary>The store's strict requeue: throws when the step is not Running or the attempt does not rise.</summary>
    public void RequeueStrict(string runId, StepKey step, int nextAttempt, DateTimeOffset at) => _operations.Add(async applied =>
    {
        var run = await applied.RunAsync(runId, step);
        var before = run.Status;
        await RunTransitions.RequeueAsync(run, step, nextAttempt, at);
        applied.Record(run, new RunProgress([], [], run.Status != before && run.Status.IsFinal() ? run.Status : null), at);
    });

    public void CancelRun(string runId, DateTimeOffset at) => _operations.Add(async applied =>
    {
        var run = await applied.RunAsync(runId, null);
        if (await RunTransitions.CancelAsync(run, at) is not { } status) return;
        applied.Canceled.Add(runId);
        applied.Record(run, new RunProgress([], [], status.IsFinal() ? status : null), at);
    });

    public void AbandonRun(string runId, string reason, DateTimeOffset at) => _operations.Add(async applied =>
    {
        var run = await applied.RunAsync(runId, null);
        if (await RunTransitions.AbandonAsync(run, reason, at) is not { } ended) return;
        run.Append(ended.Select(s => s.Status == StepStatus.Skipped ? RunEvents.Skipped(runId, s.Key, at) : RunEvents.Lost(runId, s.Key, s.Status, reason, at)));
        applied.Ended[runId] = run.Status;
        run.Append([RunEvents.Ended(runId, run.Status, at, reason)]);
    });

    public void Append(IEnumerable<EventRecord> records)
    {
        var list = records.ToList();
        if (list.Count > 0) _operations.Add(applied =>
        {
            applied.Session.Queue(list.SelectMany(r => EventStatements.For(dialect, r, returnId: false)));
            return Task.CompletedTask;
        });
    }

    public async Task<InstanceCommit> CommitAsync(CancellationToken cancellationToken)
    {
        if (_operations.Count == 0 && _created.Count == 0) return new InstanceCommit();
        await using var session = await SqlSession.BeginWriteAsync(dialect, cancellationToken);
        var applied = new Applied(session);
        if (_created.Count > 0) await RunPlans.InsertAsync(session, _created);
        foreach (var (run, steps) in _created) applied.Created[run.RunId] = steps;
        foreach (var operation in _operations) await operation(applied);
        await session.CommitAsync();
        _operations.Clear();
        _created.Clear();
        return new InstanceCommit
        {
            Claimed = applied.Claimed,
            Completed = applied.Completed,
            ToEnqueue = applied.ToEnqueue,
            Skipped = applied.Skipped,
            RunsEnded = applied.Ended,
            CancelsApplied = applied.Canceled,
        };
    }

    /// <summary>What the operations of one commit share: the session, the runs locked so far, and what they decided.</summary>
    private sealed class Applied(SqlSession session)
    {
        private readonly Dictionary<string, RunSession> _runs = new(StringComparer.Ordinal);

        public SqlSession Session { get; } = session;
        public List<StepRecord> Claimed { get; } = [];
        public List<RunStep> Completed { get; } = [];
        public List<QueuedStep> ToEnqueue { get; } = [];
        public List<RunStep> Skipped { get; } = [];
        public Dictionary<string, RunStatus> Ended { get; } = new(StringComparer.Ordinal);
        public List<string> Canceled { get; } = [];

        /// <summary>The plans of the runs this commit created, until an operation first uses them.</summary>
        public Dictionary<string, IReadOnlyList<StepRecord>> Created { get; } = new(StringComparer.Ordinal);

        /// <summary>
        /// The run, locked on its first use in this commit (with <paramref name="step"/> read in the same round trip); one this
        /// commit created is neither locked nor read: no other transaction sees it before the commit, and its plan is known.
        /// </summary>
        public async Task<RunSession> RunAsync(string runId, StepKey? step)
        {
            if (_runs.TryGetValue(runId, out var run)) return run;
            if (Created.Remove(runId, out var plan)) return _runs[runId] = RunSession.Created(Session, runId, plan);
            return _runs[runId] = await RunSession.LockAsync(Session, runId, step);
        }

        /// <summary>Keeps a decision's outcome and writes its consequences: a StepSkipped event per skipped step, the run's end event.</summary>
        public void Record(RunSession run, RunProgress progress, DateTimeOffset at)
        {
            ToEnqueue.AddRange(progress.ReadyToEnqueue.Select(s => new QueuedStep(run.RunId, s, 1, TimeSpan.Zero)));
            Skipped.AddRange(progress.Skipped.Select(s => new RunStep(run.RunId, s)));
            run.Append(progress.Skipped.Select(s => RunEvents.Skipped(run.RunId, s, at)));
            if (progress.RunEnded is not { } ended) return;
            Ended[run.RunId] = ended;
            run.Append([RunEvents.Ended(run.RunId, ended, at)]);
        }
    }
}
