using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance.Storage;
using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Instance.Sql;

/// <summary>Automation ticks and decisions (migration 0016), and the open steps the daemon must not ask for again.</summary>
internal sealed class SqlAutomationStore(SqlDialect dialect) : IAutomationStore
{
    public async Task<IReadOnlyList<StepKey>> GetOpenStepsAsync(CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.OpenAsync(dialect, cancellationToken);
        var assets = new AssetKeyCache();
        return await session.ListAsync(SqlStatement.Read(
                "SELECT DISTINCT s.asset, s.partition_key FROM runs r JOIN run_steps s ON s.run_id = r.run_id " +
                $"WHERE r.status IN ('{RunStatus.Queued}', '{RunStatus.Running}', '{RunStatus.Canceling}') " +
                $"AND s.status IN ('{StepStatus.Pending}', '{StepStatus.Queued}', '{StepStatus.Running}');"),
            r => new StepKey(assets.Get(r.GetString(0)), r.IsDBNull(1) ? null : new PartitionKey(r.GetString(1))));
    }

    public async Task<IReadOnlyList<AutomationDecision>> GetDecisionsAsync(AssetKey? asset, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.OpenAsync(dialect, cancellationToken);
        var assets = new AssetKeyCache();
        var read = SqlStatement.Read(
            "SELECT asset, partition_key, requested, reason, run_id, tick_id, decided_at FROM automation_decisions" +
            (asset is null ? "" : " WHERE asset = @asset") + $" ORDER BY {dialect.InByteOrder("asset")}, {dialect.InByteOrder("partition_key")};");
        if (asset is not null) read.Text("asset", asset.Value);
        return await session.ListAsync(read, r =>
        {
            var partition = r.GetString(1);
            return new AutomationDecision(assets.Get(r.GetString(0)), partition == PartitionStatusRule.NoPartition ? null : new PartitionKey(partition),
                r.GetBoolean(2), r.GetString(3))
            {
                RunId = r.IsDBNull(4) ? null : r.GetString(4),
                TickId = r.GetInt64(5),
                DecidedAt = dialect.ReadTime(r, 6),
            };
        });
    }

    public async Task<long> SaveTickAsync(AutomationTick tick, IReadOnlyList<AutomationDecision> changed, IReadOnlyList<StepKey> removed,
        DateTimeOffset pruneBefore, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.BeginWriteAsync(dialect, cancellationToken);
        session.Queue(new SqlStatement("DELETE FROM automation_ticks WHERE started_at < @before;").Time("before", pruneBefore));
        session.Queue(new SqlStatement(
                "INSERT INTO automation_ticks (started_at, duration_ms, evaluated, requested, run_ids, error) VALUES (@at, @ms, @evaluated, @requested, @runs, @error);")
            .Time("at", tick.StartedAt).Long("ms", (long)tick.Duration.TotalMilliseconds).Long("evaluated", tick.Evaluated).Long("requested", tick.Requested)
            .Json("runs", InstanceJson.Strings(tick.RunIds)).Text("error", tick.Error));
        long id = 0;
        await session.ReadAsync(SqlStatement.Read($"SELECT {dialect.LastInsertedId};"), async reader => id = await reader.ReadAsync(cancellationToken) ? reader.GetInt64(0) : 0);
        foreach (var d in changed)
            session.Queue(new SqlStatement(
                    "INSERT INTO automation_decisions (asset, partition_key, requested, reason, run_id, tick_id, decided_at) " +
                    "VALUES (@asset, @partition, @requested, @reason, @run, @tick, @at) ON CONFLICT (asset, partition_key) DO UPDATE SET " +
                    "requested = excluded.requested, reason = excluded.reason, run_id = excluded.run_id, tick_id = excluded.tick_id, decided_at = excluded.decided_at;")
                .Text("asset", d.Asset.Value).Text("partition", d.Partition?.Value ?? PartitionStatusRule.NoPartition).Bool("requested", d.Requested)
                .Text("reason", d.Reason).Text("run", d.RunId).Long("tick", id).Time("at", tick.StartedAt));
        foreach (var r in removed)
            session.Queue(new SqlStatement("DELETE FROM automation_decisions WHERE asset = @asset AND partition_key = @partition;")
                .Text("asset", r.Asset.Value).Text("partition", r.Partition?.Value ?? PartitionStatusRule.NoPartition));
        await session.CommitAsync();
        return id;
    }

    public async Task<IReadOnlyList<AutomationTick>> GetTicksAsync(int limit, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.OpenAsync(dialect, cancellationToken);
        return await session.ListAsync(SqlStatement.Read(
                "SELECT id, started_at, duration_ms, evaluated, requested, run_ids, error FROM automation_ticks ORDER BY started_at DESC, id DESC LIMIT @limit;")
            .Int("limit", QueryLimit.Check(limit, "Automation ticks")),
            r => new AutomationTick(dialect.ReadTime(r, 1))
            {
                Id = r.GetInt64(0),
                Duration = TimeSpan.FromMilliseconds(r.GetInt64(2)),
                Evaluated = r.GetInt64(3),
                Requested = r.GetInt64(4),
                RunIds = InstanceJson.ReadStrings(r.GetString(5)),
                Error = r.IsDBNull(6) ? null : r.GetString(6),
            });
    }
}
