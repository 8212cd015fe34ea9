using System.Data.Common;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance.Storage;

namespace Lakehouse.Core.Instance.Sql;

/// <summary>Runs and step plans; each decision is a one-operation <see cref="SqlInstanceTransaction"/>.</summary>
internal sealed class SqlRunStore(SqlDialect dialect, TimeProvider clock) : IRunStore
{
    public async Task CreateRunAsync(RunRecord run, IReadOnlyList<StepRecord> steps, CancellationToken cancellationToken)
    {
        var transaction = Begin();
        transaction.CreateRun(run, steps);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.OpenAsync(dialect, cancellationToken);
        return await session.FirstAsync(SqlStatement.Read($"SELECT {RunPlans.RunColumns} FROM runs WHERE run_id = @id;").Text("id", runId), ReadRun);
    }

    public async Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken)
    {
        var stepFilter = query.Asset is null && query.Partition is null ? "" :
            " AND EXISTS (SELECT 1 FROM run_steps s WHERE s.run_id = r.run_id AND (@asset IS NULL OR s.asset = @asset) AND (@partition IS NULL OR s.partition_key = @partition))";
        await using var session = await SqlSession.OpenAsync(dialect, cancellationToken);
        return await session.ListAsync(SqlStatement.Read(
                $"SELECT {RunPlans.RunColumns} FROM runs r WHERE (@status IS NULL OR r.status = @status) AND (@parent IS NULL OR r.parent_run_id = @parent){stepFilter} ORDER BY r.created_at DESC, r.run_id DESC LIMIT @limit;")
            .Text("status", query.Status?.ToString()).Text("asset", query.Asset?.Value).Text("partition", query.Partition?.Value)
            .Text("parent", query.ParentRunId).Int("limit", QueryLimit.Check(query.Limit, "Run query")), ReadRun);
    }

    public async Task<IReadOnlyList<StepRecord>> GetStepsAsync(string runId, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.OpenAsync(dialect, cancellationToken);
        return await session.ListAsync(SqlStatement.Read(
                $"SELECT {RunSession.StepColumns}, s.upstream_partitions FROM run_steps s WHERE s.run_id = @id ORDER BY s.ordinal;").Text("id", runId),
            r => RunSession.ReadStep(r, dialect, withUpstream: true).ToRecord(runId));
    }

    public async Task<RunProgress> StartRunAsync(string runId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var transaction = Begin();
        transaction.StartRun(runId, at);
        return (await transaction.CommitAsync(cancellationToken)).ProgressOf(runId);
    }

    public async Task<bool> TryStartStepAsync(string runId, StepKey step, int attempt, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var transaction = Begin();
        transaction.ClaimStep(runId, step, attempt, at);
        return (await transaction.CommitAsync(cancellationToken)).Claimed.Count > 0;
    }

    public async Task RequeueStepAsync(string runId, StepKey step, int nextAttempt, CancellationToken cancellationToken)
    {
        var transaction = Begin();
        transaction.RequeueStrict(runId, step, nextAttempt, clock.GetUtcNow());
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<RunProgress> CompleteStepAsync(string runId, StepKey step, StepOutcome outcome, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var transaction = Begin();
        transaction.CompleteStep(runId, step, null, outcome, at);
        return (await transaction.CommitAsync(cancellationToken)).ProgressOf(runId);
    }

    public async Task<bool> CancelRunAsync(string runId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var transaction = Begin();
        transaction.CancelRun(runId, at);
        return (await transaction.CommitAsync(cancellationToken)).CancelsApplied.Count > 0;
    }

    public async Task RenewLeaseAsync(ProcessLease lease, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.BeginWriteAsync(dialect, cancellationToken);
        session.Queue(new SqlStatement(
                "INSERT INTO process_leases (process_id, host, pid, process_started_at, heartbeat_at) VALUES (@id, @host, @pid, @started, @at) " +
                "ON CONFLICT (process_id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at;")
            .Text("id", lease.ProcessId).Text("host", lease.Host).Int("pid", lease.Pid).Time("started", lease.ProcessStartedAt).Time("at", lease.HeartbeatAt));
        await session.CommitAsync();
    }

    public async Task ReleaseLeaseAsync(string processId, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.BeginWriteAsync(dialect, cancellationToken);
        session.Queue(new SqlStatement("DELETE FROM process_leases WHERE process_id = @id;").Text("id", processId));
        await session.CommitAsync();
    }

    public async Task<IReadOnlyList<ProcessLease>> GetLeasesAsync(CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.OpenAsync(dialect, cancellationToken);
        return await session.ListAsync(SqlStatement.Read("SELECT process_id, host, pid, process_started_at, heartbeat_at FROM process_leases ORDER BY process_id;"),
            r => new ProcessLease(r.GetString(0), r.GetString(1), r.GetInt32(2), dialect.ReadTime(r, 3), dialect.ReadTime(r, 4)));
    }

    public async Task<IReadOnlyList<RunRecord>> GetOwnedOpenRunsAsync(CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.OpenAsync(dialect, cancellationToken);
        return await session.ListAsync(SqlStatement.Read(
                $"SELECT {RunPlans.RunColumns} FROM runs WHERE status IN ('Queued', 'Running', 'Canceling') AND owner_process IS NOT NULL ORDER BY created_at, run_id;"),
            ReadRun);
    }

    public async Task<IReadOnlyList<QueuedStep>> GetQueuedStepsAsync(CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.OpenAsync(dialect, cancellationToken);
        return await session.ListAsync(SqlStatement.Read(
                "SELECT s.run_id, s.step_key, s.attempt FROM run_steps s JOIN runs r ON r.run_id = s.run_id " +
                "WHERE s.status = 'Queued' AND r.status IN ('Running', 'Canceling') ORDER BY s.run_id, s.step_key;"),
            // A step queued for the first time still holds attempt 0 (a requeue stores the attempt it queues): its job is attempt 1.
            r => new QueuedStep(r.GetString(0), StepKey.Parse(r.GetString(1)), Math.Max(1, r.GetInt32(2)), TimeSpan.Zero));
    }

    public IInstanceTransaction BeginTransaction() => Begin();

    private SqlInstanceTransaction Begin() => new(dialect);

    private RunRecord ReadRun(DbDataReader r) =>
        new(r.GetString(0), Enum.Parse<RunStatus>(r.GetString(1)), r.GetString(2), dialect.ReadTime(r, 6))
        {
            Partitions = InstanceJson.ReadStrings(r.GetString(3)),
            Tags = InstanceJson.ReadTags(r.GetString(4)),
            ParentRunId = r.IsDBNull(5) ? null : r.GetString(5),
            StartedAt = dialect.ReadTimeOrNull(r, 7),
            EndedAt = dialect.ReadTimeOrNull(r, 8),
            Owner = r.IsDBNull(9) ? null : r.GetString(9),
        };
}
