using System.Data.Common;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance.Sql;

namespace Lakehouse.Core.Instance.Storage;

/// <summary>
/// One run, locked for one decision: the few reads and writes <see cref="RunTransitions"/> needs, each touching only the
/// steps concerned, so a decision costs the same in a plan of ten steps or of ten thousand. Writes go out with the next
/// read or the COMMIT (see <see cref="SqlSession"/>).
/// </summary>
internal sealed class RunSession
{
    public const string StepColumns = "s.step_key, s.status, s.depends_on, s.attempt, s.started_at, s.ended_at, s.error";

    // Whether every upstream step of s has succeeded, as a subquery per row: its plan is primary-key lookups whatever the
    // table statistics say (a free-standing anti-join was planned badly by PostgreSQL on a young table).
    private const string UpstreamAllSucceeded =
        "(SELECT NOT EXISTS (SELECT 1 FROM run_step_deps u JOIN run_steps us ON us.run_id = u.run_id AND us.step_key = u.depends_on " +
        "WHERE u.run_id = @run AND u.step_key = s.step_key AND us.status <> 'Succeeded'))";

    private readonly SqlSession _session;
    private PlanStep? _prefetched;

    /// <summary>The plan of a run this transaction created, as stored, until a step of it is written.</summary>
    private IReadOnlyList<StepRecord>? _plan;

    private RunSession(SqlSession session, string runId, RunStatus status, PlanStep? prefetched)
    {
        _session = session;
        RunId = runId;
        Status = status;
        _prefetched = prefetched;
    }

    public string RunId { get; }
    public RunStatus Status { get; private set; }

    /// <summary>
    /// Locks the run (its row on PostgreSQL; SQLite's write lock is already held) and reads its status; when the decision is
    /// about one step, that step is read in the same round trip (after the lock, so it cannot be stale).
    /// </summary>
    public static async Task<RunSession> LockAsync(SqlSession session, string runId, StepKey? step)
    {
        var reads = new List<SqlStatement> { SqlStatement.Read($"SELECT status FROM runs WHERE run_id = @id{session.Dialect.LockRow};").Text("id", runId) };
        if (step is { } key)
            reads.Add(SqlStatement.Read($"SELECT {StepColumns}, s.upstream_partitions FROM run_steps s WHERE s.run_id = @run AND s.step_key = @key;")
                .Text("run", runId).Text("key", key.ToString()));
        RunStatus? status = null;
        PlanStep? prefetched = null;
        await session.ReadAsync(reads, async (statement, reader) =>
        {
            if (!await reader.ReadAsync()) return;
            if (ReferenceEquals(statement, reads[0])) status = Enum.Parse<RunStatus>(reader.GetString(0));
            else prefetched = ReadStep(reader, session.Dialect, withUpstream: true);
        });
        return new RunSession(session, runId, status ?? throw new KeyNotFoundException($"There is no run '{runId}'."), prefetched);
    }

    /// <summary>A run this transaction created (Queued, its plan as given): nothing to lock or read, as no other transaction sees it yet.</summary>
    public static RunSession Created(SqlSession session, string runId, IReadOnlyList<StepRecord> plan) =>
        new(session, runId, RunStatus.Queued, null) { _plan = plan };

    /// <summary>The step, or an error naming the run and the step when the plan has no such step.</summary>
    public async Task<PlanStep> StepAsync(StepKey key)
    {
        // The step read with the lock is current until this session writes it, and every transition reads its step first.
        if (_prefetched is { } step && step.Key == key)
        {
            _prefetched = null;
            return step;
        }
        var found = await ReadStepsAsync("WHERE s.run_id = @run AND s.step_key = @key", s => s.Text("key", key.ToString()), withUpstream: true);
        return found.SingleOrDefault() ?? throw new KeyNotFoundException($"Run '{RunId}' has no step '{key}'.");
    }

    /// <summary>Hands a step read by <see cref="StepAsync"/> back, so the next transition on it needs no read.</summary>
    public void Keep(PlanStep step) => _prefetched = step;

    /// <summary>The steps that list <paramref name="key"/> among their upstream steps, in plan order.</summary>
    public Task<List<PlanStep>> DependentsAsync(StepKey key) =>
        ReadStepsAsync("JOIN run_step_deps d ON d.run_id = s.run_id AND d.step_key = s.step_key WHERE s.run_id = @run AND d.depends_on = @key",
            s => s.Text("key", key.ToString()));

    /// <summary>Every step in one of these statuses, in plan order.</summary>
    public Task<List<PlanStep>> StepsInAsync(params StepStatus[] statuses) =>
        ReadStepsAsync($"WHERE s.run_id = @run AND {_session.Dialect.AnyOf("s.status", "statuses")}", s => s.TextList("statuses", Names(statuses)));

    public async Task<bool> AnyStepInAsync(params StepStatus[] statuses) =>
        await _session.FirstAsync(SqlStatement.Read($"SELECT EXISTS (SELECT 1 FROM run_steps WHERE run_id = @run AND {_session.Dialect.AnyOf("status", "statuses")});")
            .Text("run", RunId).TextList("statuses", Names(statuses)), r => r.GetBoolean(0));

    /// <summary>
    /// The Pending steps whose upstream steps have all succeeded, in plan order; with <paramref name="dependentsOf"/>, only
    /// the dependents of that step. One query, with the upstream check as a per-row subquery.
    /// </summary>
    public async Task<List<PlanStep>> ReadyPendingAsync(StepKey? dependentsOf = null)
    {
        if (dependentsOf is null && _plan is { } plan) return ReadyInPlan(plan);
        var dependents = dependentsOf is not null;
        var filter = dependents
            // No status condition here: with one, PostgreSQL's plan walked every Pending step of the run instead of the few dependents.
            ? "JOIN run_step_deps d ON d.run_id = s.run_id AND d.step_key = s.step_key WHERE s.run_id = @run AND d.depends_on = @key"
            : "WHERE s.run_id = @run AND s.status = 'Pending'";
        var read = SqlStatement.Read($"SELECT {StepColumns}, {UpstreamAllSucceeded} FROM run_steps s {filter} ORDER BY s.ordinal;").Text("run", RunId);
        if (dependentsOf is { } key) read.Text("key", key.ToString());
        var ready = new List<PlanStep>();
        await _session.ReadAsync(read, async reader =>
        {
            while (await reader.ReadAsync())
            {
                var step = ReadStep(reader, _session.Dialect, withUpstream: false);
                if (step.Status == StepStatus.Pending && reader.GetBoolean(7)) ready.Add(step);
            }
        });
        return ready;
    }

    /// <summary>What <see cref="ReadyPendingAsync"/> reads, from the plan of a run created in this transaction (an upstream not in the plan counts as done, as there).</summary>
    private static List<PlanStep> ReadyInPlan(IReadOnlyList<StepRecord> plan)
    {
        var statuses = new Dictionary<StepKey, StepStatus>(plan.Count);
        foreach (var s in plan) statuses[s.Key] = s.Status;
        return plan.Where(s => s.Status == StepStatus.Pending && s.DependsOn.All(d => !statuses.TryGetValue(d, out var up) || up == StepStatus.Succeeded))
            .Select(s => new PlanStep { Key = s.Key, DependsOn = s.DependsOn, Status = s.Status, Attempt = s.Attempt, StartedAt = s.StartedAt, EndedAt = s.EndedAt, Error = s.Error })
            .ToList();
    }

    /// <summary>Writes status, attempt, times and error of each step.</summary>
    public void SaveSteps(IEnumerable<PlanStep> steps)
    {
        _plan = null;
        foreach (var s in steps)
            _session.Queue(new SqlStatement(
                    "UPDATE run_steps SET status = @status, attempt = @attempt, started_at = @started, ended_at = @ended, error = @error WHERE run_id = @run AND step_key = @key;")
                .Text("status", s.Status.ToString()).Int("attempt", s.Attempt).Time("started", s.StartedAt).Time("ended", s.EndedAt)
                .Text("error", s.Error).Text("run", RunId).Text("key", s.Key.ToString()));
    }

    /// <summary>Writes the run's status; a null time leaves the stored one as it is.</summary>
    public void SaveRun(RunStatus status, DateTimeOffset? startedAt, DateTimeOffset? endedAt)
    {
        _session.Queue(new SqlStatement(
                "UPDATE runs SET status = @status, started_at = COALESCE(@started, started_at), ended_at = COALESCE(@ended, ended_at) WHERE run_id = @run;")
            .Text("status", status.ToString()).Time("started", startedAt).Time("ended", endedAt).Text("run", RunId));
        Status = status;
    }

    /// <summary>Writes events in the run's transaction (the end of a step, its skips, the run's end).</summary>
    public void Append(IEnumerable<EventRecord> records)
    {
        foreach (var record in records) _session.Queue(EventStatements.For(_session.Dialect, record, returnId: false));
    }

    public static PlanStep ReadStep(DbDataReader reader, SqlDialect dialect, bool withUpstream) => new()
    {
        Key = StepKey.Parse(reader.GetString(0)),
        Status = Enum.Parse<StepStatus>(reader.GetString(1)),
        DependsOn = InstanceJson.ReadStepKeys(reader.GetString(2)),
        Attempt = reader.GetInt32(3),
        StartedAt = dialect.ReadTimeOrNull(reader, 4),
        EndedAt = dialect.ReadTimeOrNull(reader, 5),
        Error = reader.IsDBNull(6) ? null : reader.GetString(6),
        UpstreamJson = withUpstream ? reader.GetString(7) : null,
    };

    private static List<string> Names(StepStatus[] statuses) => statuses.Select(s => s.ToString()).ToList();

    private Task<List<PlanStep>> ReadStepsAsync(string filter, Action<SqlStatement> bind, bool withUpstream = false)
    {
        var read = SqlStatement.Read($"SELECT {StepColumns}{(withUpstream ? ", s.upstream_partitions" : "")} FROM run_steps s {filter} ORDER BY s.ordinal;")
            .Text("run", RunId);
        bind(read);
        return _session.ListAsync(read, r => ReadStep(r, _session.Dialect, withUpstream));
    }
}
