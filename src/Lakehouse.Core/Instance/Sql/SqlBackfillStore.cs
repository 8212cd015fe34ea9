using System.Data.Common;
using Lakehouse.Core.Instance.Storage;

namespace Lakehouse.Core.Instance.Sql;

/// <summary>Backfills and their partitions (migration 0005); progress is read from the runs the partitions point at, never copied.</summary>
internal sealed class SqlBackfillStore(SqlDialect dialect) : IBackfillStore
{
    private const string Columns =
        "backfill_id, status, selection, partition_spec, created_at, partitions_per_run, single_run, max_concurrent_runs, total, ended_at";

    // One state per partition, from its chunk's run: the same CASE for the counts and the runs of a backfill.
    private const string PartitionState =
        "CASE WHEN p.launch_error IS NOT NULL THEN 'failed' WHEN p.run_id IS NULL THEN 'pending' WHEN r.status = 'Succeeded' THEN 'done' " +
        "WHEN r.status IN ('Failed', 'Canceled') THEN 'failed' ELSE 'in_flight' END";

    public async Task<long> CreateAsync(BackfillRecord backfill, IReadOnlyList<string> partitions, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(backfill.PartitionsPerRun, 1);
        await using var session = await SqlSession.BeginWriteAsync(dialect, cancellationToken);
        session.Queue(new SqlStatement(
                "INSERT INTO backfills (status, selection, partition_spec, created_at, partitions_per_run, single_run, max_concurrent_runs, total) " +
                "VALUES ('requested', @selection, @spec, @at, @per, @single, @max, @total);")
            .Text("selection", backfill.Selection).Text("spec", backfill.PartitionSpec).Time("at", backfill.CreatedAt).Int("per", backfill.PartitionsPerRun)
            .Bool("single", backfill.SingleRun).Int("max", backfill.MaxConcurrentRuns).Int("total", partitions.Count));
        var id = await session.FirstAsync(SqlStatement.Read($"SELECT {dialect.LastInsertedId};"), r => r.GetInt64(0));
        // Every partition in one statement from one JSON argument: 100,000 rows cost one round trip, not 100,000.
        session.Queue(new SqlStatement(
                "INSERT INTO backfill_partitions (backfill_id, ordinal, partition_key, chunk) " +
                $"SELECT @id, a.i, a.v, a.i / @per FROM {dialect.JsonArrayRows("keys")} a;")
            .Long("id", id).Int("per", backfill.PartitionsPerRun).Json("keys", InstanceJson.Strings(partitions)));
        await session.CommitAsync();
        return id;
    }

    public async Task<BackfillRecord?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.OpenAsync(dialect, cancellationToken);
        return await session.FirstAsync(SqlStatement.Read($"SELECT {Columns} FROM backfills WHERE backfill_id = @id;").Long("id", id), Read);
    }

    public async Task<IReadOnlyList<BackfillRecord>> ListAsync(BackfillStatus? status, int limit, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.OpenAsync(dialect, cancellationToken);
        return await session.ListAsync(SqlStatement.Read(
                $"SELECT {Columns} FROM backfills WHERE (@status IS NULL OR status = @status) ORDER BY backfill_id DESC LIMIT @limit;")
            .Text("status", status is null ? null : Text(status.Value)).Int("limit", QueryLimit.Check(limit, "Backfill query")), Read);
    }

    public async Task<BackfillProgress> GetProgressAsync(long id, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.OpenAsync(dialect, cancellationToken);
        var counts = await session.ListAsync(SqlStatement.Read(
                $"SELECT {PartitionState} AS state, count(*), count(DISTINCT p.run_id) FROM backfill_partitions p LEFT JOIN runs r ON r.run_id = p.run_id " +
                "WHERE p.backfill_id = @id GROUP BY 1;").Long("id", id),
            r => (State: r.GetString(0), Partitions: (int)r.GetInt64(1), Runs: (int)r.GetInt64(2)));
        int Of(string state) => counts.Where(c => c.State == state).Sum(c => c.Partitions);
        return new BackfillProgress(counts.Sum(c => c.Partitions), Of("done"), Of("failed"), Of("in_flight"), Of("pending"),
            counts.Where(c => c.State == "in_flight").Sum(c => c.Runs));
    }

    public async Task<IReadOnlyList<BackfillRun>> GetRunsAsync(long id, int limit, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.OpenAsync(dialect, cancellationToken);
        return await session.ListAsync(SqlStatement.Read(
                "SELECT p.chunk, p.run_id, r.status, count(*), min(p.partition_key), max(p.partition_key), max(p.launch_error) " +
                "FROM backfill_partitions p LEFT JOIN runs r ON r.run_id = p.run_id WHERE p.backfill_id = @id " +
                "GROUP BY p.chunk, p.run_id, r.status ORDER BY p.chunk LIMIT @limit;")
            .Long("id", id).Int("limit", QueryLimit.Check(limit, "Backfill runs")),
            r => new BackfillRun(r.GetInt32(0), r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2).ToLowerInvariant(),
                (int)r.GetInt64(3), r.GetString(4), r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6)));
    }

    public async Task<bool> TryLeaseAsync(long id, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.BeginWriteAsync(dialect, cancellationToken);
        // The conditional update is the lock: of two tickers racing, the second finds the first's unexpired lease and changes nothing.
        session.Queue(new SqlStatement(
                "UPDATE backfills SET lease_owner = @owner, lease_until = @until WHERE backfill_id = @id " +
                "AND (lease_until IS NULL OR lease_until < @now OR lease_owner = @owner);")
            .Long("id", id).Text("owner", owner).Time("until", until).Time("now", now));
        string? holder = null;
        await session.CommitAsync([SqlStatement.Read("SELECT lease_owner FROM backfills WHERE backfill_id = @id;").Long("id", id)],
            async (_, reader) => holder = await reader.ReadAsync(cancellationToken) && !reader.IsDBNull(0) ? reader.GetString(0) : null);
        return holder == owner;
    }

    public Task ReleaseLeaseAsync(long id, string owner, CancellationToken cancellationToken) =>
        WriteAsync(new SqlStatement("UPDATE backfills SET lease_owner = NULL, lease_until = NULL WHERE backfill_id = @id AND lease_owner = @owner;")
            .Long("id", id).Text("owner", owner), cancellationToken);

    public async Task<IReadOnlyList<BackfillChunk>> GetChunksToLaunchAsync(long id, int limit, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.OpenAsync(dialect, cancellationToken);
        var rows = await session.ListAsync(SqlStatement.Read(
                "SELECT p.chunk, p.run_id, p.partition_key FROM backfill_partitions p WHERE p.backfill_id = @id AND p.chunk IN (" +
                "SELECT DISTINCT c.chunk FROM backfill_partitions c WHERE c.backfill_id = @id AND c.launch_error IS NULL " +
                "AND (c.run_id IS NULL OR NOT EXISTS (SELECT 1 FROM runs r WHERE r.run_id = c.run_id)) ORDER BY c.chunk LIMIT @limit) " +
                "ORDER BY p.chunk, p.ordinal;")
            .Long("id", id).Int("limit", QueryLimit.Check(limit, "Backfill chunks")),
            r => (Chunk: r.GetInt32(0), RunId: r.IsDBNull(1) ? null : r.GetString(1), Partition: r.GetString(2)));
        return rows.GroupBy(r => r.Chunk).Select(g => new BackfillChunk(g.Key, g.First().RunId, g.Select(r => r.Partition).ToList())).ToList();
    }

    public Task ClaimChunkAsync(long id, int chunk, string runId, CancellationToken cancellationToken) =>
        WriteAsync(new SqlStatement("UPDATE backfill_partitions SET run_id = @run WHERE backfill_id = @id AND chunk = @chunk;")
            .Long("id", id).Int("chunk", chunk).Text("run", runId), cancellationToken);

    public Task SetLaunchErrorAsync(long id, int chunk, string error, CancellationToken cancellationToken) =>
        WriteAsync(new SqlStatement("UPDATE backfill_partitions SET launch_error = @error WHERE backfill_id = @id AND chunk = @chunk;")
            .Long("id", id).Int("chunk", chunk).Text("error", error), cancellationToken);

    public async Task<bool> SetStatusAsync(long id, BackfillStatus status, IReadOnlyList<BackfillStatus> from, DateTimeOffset? endedAt, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.BeginWriteAsync(dialect, cancellationToken);
        session.Queue(new SqlStatement(
                $"UPDATE backfills SET status = @status, ended_at = @ended WHERE backfill_id = @id AND {dialect.AnyOf("status", "from")};")
            .Long("id", id).Text("status", Text(status)).Time("ended", endedAt).TextList("from", from.Select(Text).ToList()));
        string? now = null;
        await session.CommitAsync([SqlStatement.Read("SELECT status FROM backfills WHERE backfill_id = @id;").Long("id", id)],
            async (_, reader) => now = await reader.ReadAsync(cancellationToken) ? reader.GetString(0) : null);
        return now == Text(status);
    }

    public async Task<int> ResetUnsucceededAsync(long id, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.BeginWriteAsync(dialect, cancellationToken);
        const string Unsucceeded = "backfill_id = @id AND (launch_error IS NOT NULL OR run_id IS NULL OR run_id IN (SELECT run_id FROM runs WHERE status IN ('Failed', 'Canceled')))";
        var count = await session.FirstAsync(SqlStatement.Read($"SELECT count(*) FROM backfill_partitions WHERE {Unsucceeded};").Long("id", id), r => (int)r.GetInt64(0));
        session.Queue(new SqlStatement($"UPDATE backfill_partitions SET run_id = NULL, launch_error = NULL WHERE {Unsucceeded};").Long("id", id));
        await session.CommitAsync();
        return count;
    }

    private async Task WriteAsync(SqlStatement write, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.BeginWriteAsync(dialect, cancellationToken);
        session.Queue(write);
        await session.CommitAsync();
    }

    private static string Text(BackfillStatus status) => status.ToString().ToLowerInvariant();

    private BackfillRecord Read(DbDataReader r) =>
        new(r.GetInt64(0), Enum.Parse<BackfillStatus>(r.GetString(1), ignoreCase: true), r.GetString(2), r.GetString(3), dialect.ReadTime(r, 4))
        {
            PartitionsPerRun = r.GetInt32(5),
            SingleRun = r.GetBoolean(6),
            MaxConcurrentRuns = r.GetInt32(7),
            Total = r.GetInt32(8),
            EndedAt = dialect.ReadTimeOrNull(r, 9),
        };
}
