using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance.Storage;
using Npgsql;
using static Lakehouse.Core.Instance.Postgres.PostgresCommands;

namespace Lakehouse.Core.Instance.Postgres;

/// <summary>
/// A run whose row is locked <c>FOR UPDATE</c> in an open transaction: every other decision on it waits.
/// Writes are held back and sent in front of the next read (or with the COMMIT), so a decision costs a few round trips
/// however many statements it makes; a read always sees the writes before it.
/// </summary>
internal sealed class PostgresRunSession : RunSession
{
    public const string StepColumns = "s.step_key, s.status, s.depends_on, s.attempt, s.started_at, s.ended_at, s.error";

    // Whether every upstream step of s has succeeded, as a subquery per row: its plan is the primary-key lookups of
    // UpstreamSucceededAsync whatever the table statistics say (a free-standing anti-join was planned badly on a young table).
    private const string UpstreamAllSucceeded =
        "(SELECT NOT EXISTS (SELECT 1 FROM run_step_deps u JOIN run_steps us ON us.run_id = u.run_id AND us.step_key = u.depends_on " +
        "WHERE u.run_id = @run AND u.step_key = s.step_key AND us.status <> 'Succeeded'))";

    private readonly NpgsqlConnection _connection;
    private readonly CancellationToken _cancellationToken;
    private readonly List<NpgsqlBatchCommand> _writes = [];
    private PlanStep? _prefetched;

    private PostgresRunSession(NpgsqlConnection connection, string runId, RunStatus status, PlanStep? prefetched, CancellationToken cancellationToken)
        : base(runId, status)
    {
        _connection = connection;
        _prefetched = prefetched;
        _cancellationToken = cancellationToken;
    }

    /// <summary>
    /// Begins the transaction and locks the run row in one round trip; when the decision is about one step, that step is
    /// read in the same round trip (after the lock, so it cannot be stale).
    /// </summary>
    public static async Task<PostgresRunSession> LockAsync(NpgsqlConnection connection, string runId, StepKey? step, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN;"));
        batch.BatchCommands.Add(BatchCommand("SELECT status FROM runs WHERE run_id = @id FOR UPDATE;", Text("id", runId)));
        if (step is { } key)
            batch.BatchCommands.Add(BatchCommand($"SELECT {StepColumns} FROM run_steps s WHERE s.run_id = @run AND s.step_key = @key;",
                Text("run", runId), Text("key", key.ToString())));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) throw new KeyNotFoundException($"There is no run '{runId}'.");
        var status = Enum.Parse<RunStatus>(reader.GetString(0));
        PlanStep? prefetched = null;
        if (step is not null && await reader.NextResultAsync(cancellationToken) && await reader.ReadAsync(cancellationToken))
            prefetched = ReadStep(reader);
        return new PostgresRunSession(connection, runId, status, prefetched, cancellationToken);
    }

    /// <summary>Sends the held-back writes and the COMMIT in one round trip.</summary>
    public async Task CommitAsync()
    {
        _writes.Add(new NpgsqlBatchCommand("COMMIT;"));
        await FlushAsync(null, null);
    }

    /// <summary>Abandons a decision that threw, so the connection goes back to the pool outside any transaction.</summary>
    public static async Task RollbackAsync(NpgsqlConnection connection)
    {
        if (connection.State != System.Data.ConnectionState.Open) return;
        try
        {
            await connection.ExecuteAsync("ROLLBACK;", CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // A broken connection: the server ends the transaction with it, and the pool drops it.
        }
    }

    protected override async Task<PlanStep?> FindStepAsync(StepKey key)
    {
        // The step read with the lock is current until this session writes it, and every transition reads its step first.
        if (_prefetched is { } step && step.Key == key)
        {
            _prefetched = null;
            return step;
        }
        return (await ReadStepsAsync("WHERE s.run_id = @run AND s.step_key = @key", Text("key", key.ToString()))).SingleOrDefault();
    }

    public override Task<IReadOnlyList<PlanStep>> DependentsAsync(StepKey key) =>
        ReadStepsAsync("JOIN run_step_deps d ON d.run_id = s.run_id AND d.step_key = s.step_key WHERE s.run_id = @run AND d.depends_on = @key",
            Text("key", key.ToString()));

    public override Task<IReadOnlyList<PlanStep>> StepsInAsync(params StepStatus[] statuses) =>
        ReadStepsAsync("WHERE s.run_id = @run AND s.status = ANY(@statuses)", Statuses(statuses));

    public override async Task<IReadOnlyList<PlanStep>> ReadyPendingAsync(StepKey? dependentsOf = null)
    {
        var (filter, parameters) = dependentsOf is { } key
            // No status condition here: with one, the planner walks every Pending step of the run instead of the few dependents.
            ? ("JOIN run_step_deps d ON d.run_id = s.run_id AND d.step_key = s.step_key WHERE s.run_id = @run AND d.depends_on = @key",
                new[] { Text("key", key.ToString()) })
            : ("WHERE s.run_id = @run AND s.status = 'Pending'", Array.Empty<NpgsqlParameter>());
        var ready = new List<PlanStep>();
        await FlushAsync(BatchCommand($"SELECT {StepColumns}, {UpstreamAllSucceeded} FROM run_steps s {filter} ORDER BY s.ordinal;", [Text("run", RunId), .. parameters]),
            async reader =>
            {
                while (await reader.ReadAsync(_cancellationToken))
                {
                    var step = ReadStep(reader);
                    if (step.Status == StepStatus.Pending && reader.GetBoolean(7)) ready.Add(step);
                }
            });
        return ready;
    }

    public override async Task<bool> AnyStepInAsync(params StepStatus[] statuses) =>
        await ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM run_steps WHERE run_id = @run AND status = ANY(@statuses));", Text("run", RunId), Statuses(statuses));

    public override async Task<bool> UpstreamSucceededAsync(StepKey key) =>
        await ScalarAsync<bool>(
            "SELECT NOT EXISTS (SELECT 1 FROM run_step_deps d JOIN run_steps u ON u.run_id = d.run_id AND u.step_key = d.depends_on " +
            "WHERE d.run_id = @run AND d.step_key = @key AND u.status <> 'Succeeded');",
            Text("run", RunId), Text("key", key.ToString()));

    public override Task SaveStepsAsync(IReadOnlyList<PlanStep> steps)
    {
        foreach (var s in steps)
            _writes.Add(BatchCommand(
                "UPDATE run_steps SET status = @status, attempt = @attempt, started_at = @started, ended_at = @ended, error = @error WHERE run_id = @run AND step_key = @key;",
                Text("status", s.Status.ToString()), Int("attempt", s.Attempt), Time("started", s.StartedAt), Time("ended", s.EndedAt),
                Text("error", s.Error), Text("run", RunId), Text("key", s.Key.ToString())));
        return Task.CompletedTask;
    }

    protected override Task WriteRunAsync(RunStatus status, DateTimeOffset? startedAt, DateTimeOffset? endedAt)
    {
        _writes.Add(BatchCommand(
            "UPDATE runs SET status = @status, started_at = COALESCE(@started, started_at), ended_at = COALESCE(@ended, ended_at) WHERE run_id = @run;",
            Text("status", status.ToString()), Time("started", startedAt), Time("ended", endedAt), Text("run", RunId)));
        return Task.CompletedTask;
    }

    private static NpgsqlParameter Statuses(StepStatus[] statuses) => TextArray("statuses", statuses.Select(s => s.ToString()).ToArray());

    private async Task<IReadOnlyList<PlanStep>> ReadStepsAsync(string filter, params NpgsqlParameter[] parameters)
    {
        var steps = new List<PlanStep>();
        await FlushAsync(BatchCommand($"SELECT {StepColumns} FROM run_steps s {filter} ORDER BY s.ordinal;", [Text("run", RunId), .. parameters]),
            async reader =>
            {
                while (await reader.ReadAsync(_cancellationToken)) steps.Add(ReadStep(reader));
            });
        return steps;
    }

    private async Task<T> ScalarAsync<T>(string sql, params NpgsqlParameter[] parameters)
    {
        T value = default!;
        await FlushAsync(BatchCommand(sql, parameters), async reader =>
        {
            if (!await reader.ReadAsync(_cancellationToken)) throw new InvalidOperationException($"No row from: {sql}");
            value = reader.GetFieldValue<T>(0);
        });
        return value;
    }

    /// <summary>One round trip: the held-back writes, then the read (whose rows are the only result set).</summary>
    private async Task FlushAsync(NpgsqlBatchCommand? read, Func<NpgsqlDataReader, Task>? consume)
    {
        if (read is null && _writes.Count == 0) return;
        await using var batch = new NpgsqlBatch(_connection);
        foreach (var write in _writes) batch.BatchCommands.Add(write);
        _writes.Clear();
        if (read is not null) batch.BatchCommands.Add(read);
        if (consume is null)
        {
            await batch.ExecuteNonQueryAsync(_cancellationToken);
            return;
        }
        await using var reader = await batch.ExecuteReaderAsync(_cancellationToken);
        await consume(reader);
    }

    public static PlanStep ReadStep(NpgsqlDataReader reader) => new()
    {
        Key = StepKey.Parse(reader.GetString(0)),
        Status = Enum.Parse<StepStatus>(reader.GetString(1)),
        DependsOn = InstanceJson.ReadStepKeys(reader.GetString(2)),
        Attempt = reader.GetInt32(3),
        StartedAt = ReadTimeOrNull(reader, 4),
        EndedAt = ReadTimeOrNull(reader, 5),
        Error = ReadStringOrNull(reader, 6),
    };
}
