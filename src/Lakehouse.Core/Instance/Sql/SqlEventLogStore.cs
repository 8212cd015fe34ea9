using System.Data.Common;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance.Storage;
using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Instance.Sql;

/// <summary>The event log, with <c>asset_partition_status</c> written in the transaction of each event.</summary>
internal sealed class SqlEventLogStore(SqlDialect dialect) : IEventLogStore
{
    /// <summary>Events per round trip of a large batch: one statement list the server takes at once.</summary>
    private const int BatchSize = 1000;
    private const string EventColumns = "id, type, run_id, step_key, asset, timestamp, level, message, metadata, check_result";
    // What a status read selects; a single-asset read already knows the asset, so it is not read back.
    private const string StatusReadColumns = "partition_key, state, run_id, updated_at, last_materialization_event_id, last_materialized_at";

    public async Task<long> AppendAsync(EventRecord record, CancellationToken cancellationToken) =>
        (await AppendBatchAsync([record], cancellationToken))[0];

    public async Task<IReadOnlyList<long>> AppendBatchAsync(IReadOnlyList<EventRecord> records, CancellationToken cancellationToken)
    {
        var ids = new List<long>(records.Count);
        if (records.Count == 0) return ids;
        async Task Collect(SqlStatement _, DbDataReader reader)
        {
            while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetInt64(0));
        }
        await using var session = await SqlSession.BeginWriteAsync(dialect, cancellationToken);
        var chunks = records.Chunk(BatchSize).ToList();
        // All of it or none: the last chunk travels with the COMMIT, so a batch of up to 1,000 events is one round trip.
        foreach (var chunk in chunks.SkipLast(1))
            await session.ReadAsync(chunk.SelectMany(r => EventStatements.For(dialect, r, returnId: true)).ToList(), Collect);
        await session.CommitAsync(chunks[^1].SelectMany(r => EventStatements.For(dialect, r, returnId: true)).ToList(), Collect);
        return ids;
    }

    public async Task<IReadOnlyList<EventRecord>> QueryAsync(EventQuery query, CancellationToken cancellationToken)
    {
        var where = new List<string> { "id > @after" };
        var args = new List<Action<SqlStatement>> { s => s.Long("after", query.AfterId), s => s.Int("limit", QueryLimit.Check(query.Limit, "Event query")) };
        if (query.RunId is not null) { where.Add("run_id = @run"); args.Add(s => s.Text("run", query.RunId)); }
        if (query.Asset is not null) { where.Add("asset = @asset"); args.Add(s => s.Text("asset", query.Asset.Value)); }
        if (query.Partition is not null) { where.Add("partition_key = @partition"); args.Add(s => s.Text("partition", query.Partition.Value)); }
        if (query.Types is { } types)
        {
            where.Add(dialect.AnyOf("type", "types"));
            args.Add(s => s.TextList("types", types.Select(t => t.ToString()).ToList()));
        }
        var read = SqlStatement.Read(
            $"SELECT {EventColumns} FROM event_log WHERE {string.Join(" AND ", where)} ORDER BY id {(query.Descending ? "DESC" : "ASC")} LIMIT @limit;");
        foreach (var arg in args) arg(read);
        await using var session = await SqlSession.OpenAsync(dialect, cancellationToken);
        return await session.ListAsync(read, ReadEvent);
    }

    public Task<IReadOnlyList<AssetPartitionStatus>> GetPartitionStatusesAsync(AssetKey asset, CancellationToken cancellationToken) =>
        ReadStatusesAsync(SqlStatement.Read($"SELECT {StatusReadColumns} FROM asset_partition_status WHERE asset = @asset ORDER BY {dialect.InByteOrder("partition_key")};")
            .Text("asset", asset.Value), asset, cancellationToken);

    public Task<IReadOnlyList<AssetPartitionStatus>> GetPartitionStatusPageAsync(AssetKey asset, PartitionKey? after, int limit, CancellationToken cancellationToken) =>
        ReadStatusesAsync(SqlStatement.Read($"SELECT {StatusReadColumns} FROM asset_partition_status WHERE asset = @asset{(after is null ? "" : " AND partition_key > @after")} " +
                $"ORDER BY {dialect.InByteOrder("partition_key")} LIMIT @limit;")
            .Text("asset", asset.Value).Text("after", after?.Value).Int("limit", QueryLimit.Check(limit, "Partition status page")), asset, cancellationToken);

    public async Task<IReadOnlyList<AssetStatusCounts>> GetStatusCountsAsync(AssetKey? asset, CancellationToken cancellationToken)
    {
        var read = SqlStatement.Read(asset is null ? CountsSql(AllAssets) : CountsSql("SELECT @asset AS asset"));
        if (asset is not null) read.Text("asset", asset.Value);
        await using var session = await SqlSession.OpenAsync(dialect, cancellationToken);
        var rows = await session.ListAsync(read, r => (Asset: r.GetString(0), State: MaterializationStateText.Parse(r.GetString(1)), Count: checked((int)r.GetInt64(2)),
            At: dialect.ReadTimeOrNull(r, 3), EventId: r.IsDBNull(4) ? (long?)null : r.GetInt64(4)));
        return rows.Where(r => r.Count > 0).GroupBy(r => r.Asset, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new AssetStatusCounts(new AssetKey(g.Key), g.OrderBy(r => r.State).ToDictionary(r => r.State, r => r.Count))
            {
                LastMaterializedAt = g.Max(r => r.At),
                LastMaterializationEventId = g.Max(r => r.EventId),
            }).ToList();
    }

    // Every asset with a status, one index seek each (a loose index scan written as a recursive query, which both databases run).
    private const string AllAssets =
        "SELECT MIN(asset) AS asset FROM asset_partition_status UNION ALL " +
        "SELECT (SELECT MIN(p.asset) FROM asset_partition_status p WHERE p.asset > assets.asset) FROM assets WHERE assets.asset IS NOT NULL";

    // A GROUP BY decodes and groups every index entry (SQLite: ~250 ms CPU for a million); counting each (asset, state) range of migration 0021's index
    // and seeking the ends of ranges for the maxima reads the same answer at a fifth of the cost.
    private static string CountsSql(string assets) =>
        $"WITH RECURSIVE assets(asset) AS ({assets}), " +
        $"states(state) AS (VALUES {string.Join(", ", Enum.GetNames<MaterializationState>().Select(n => $"('{n}')"))}) " +
        "SELECT a.asset, s.state, " +
        "(SELECT COUNT(*) FROM asset_partition_status p WHERE p.asset = a.asset AND p.state = s.state), " +
        "(SELECT MAX(p.last_materialized_at) FROM asset_partition_status p WHERE p.asset = a.asset AND p.state = s.state), " +
        "(SELECT MAX(p.last_materialization_event_id) FROM asset_partition_status p WHERE p.asset = a.asset) " +
        "FROM assets a CROSS JOIN states s WHERE a.asset IS NOT NULL;";

    public Task<IReadOnlyList<AssetPartitionStatus>> GetAllStatusesAsync(CancellationToken cancellationToken) =>
        ReadStatusesAsync(SqlStatement.Read($"SELECT {StatusReadColumns}, asset FROM asset_partition_status ORDER BY {dialect.InByteOrder("asset")}, {dialect.InByteOrder("partition_key")};"),
            null, cancellationToken);

    // Both orders are the keys' byte order, SQLite's default and PostgreSQL's "C", so either database reads the primary key in order without sorting.
    private async Task<IReadOnlyList<AssetPartitionStatus>> ReadStatusesAsync(SqlStatement read, AssetKey? asset, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.OpenAsync(dialect, cancellationToken);
        return await dialect.ReadStatusesAsync(session.Connection, read, asset, cancellationToken);
    }

    private EventRecord ReadEvent(DbDataReader r)
    {
        var step = r.IsDBNull(3) ? null : StepKey.Parse(r.GetString(3));
        var asset = r.IsDBNull(4) ? null : new AssetKey(r.GetString(4));
        return new EventRecord(Enum.Parse<EventType>(r.GetString(1)), r.GetString(2), dialect.ReadTime(r, 5))
        {
            Id = r.GetInt64(0),
            Step = step,
            Asset = asset == step?.Asset ? null : asset,
            Level = r.GetString(6),
            Message = r.GetString(7),
            Metadata = InstanceJson.ReadMetadata(r.GetString(8)),
            Check = InstanceJson.ReadCheck(r.IsDBNull(9) ? null : r.GetString(9)),
        };
    }
}
