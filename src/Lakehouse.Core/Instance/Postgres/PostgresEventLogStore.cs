using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance.Storage;
using Lakehouse.Core.Partitions;
using Npgsql;
using static Lakehouse.Core.Instance.Postgres.PostgresCommands;

namespace Lakehouse.Core.Instance.Postgres;

/// <summary>The event log in PostgreSQL; each insert and its <c>asset_partition_status</c> upsert are one statement.</summary>
internal sealed class PostgresEventLogStore(NpgsqlDataSource dataSource) : IEventLogStore
{
    private const int BatchSize = 1000;
    private const string EventColumns = "id, type, run_id, step_key, timestamp, level, message, metadata, check_result";
    private const string StatusColumns = "asset, partition_key, state, run_id, updated_at, last_materialization_event_id, last_materialized_at";
    // What a status read selects; a single-asset read already knows the asset, so it is not read back.
    private const string StatusReadColumns = "partition_key, state, run_id, updated_at, last_materialization_event_id, last_materialized_at";

    private const string InsertEvent =
        "INSERT INTO event_log (type, run_id, step_key, asset, partition_key, timestamp, level, message, metadata, check_result) " +
        "VALUES (@type, @run, @step, @asset, @partition, @at, @level, @message, @metadata, @check) RETURNING id";

    // The status row is written by the same statement as the event, so it can never disagree with the log.
    private const string InsertEventAndStatus =
        $"WITH e AS ({InsertEvent}), s AS (INSERT INTO asset_partition_status ({StatusColumns}) " +
        "SELECT @asset, @statusPartition, @state, @run, @at, CASE WHEN @materialized THEN e.id END, CASE WHEN @materialized THEN @at END FROM e " +
        "ON CONFLICT (asset, partition_key) DO UPDATE SET state = excluded.state, run_id = excluded.run_id, updated_at = excluded.updated_at, " +
        "last_materialization_event_id = COALESCE(excluded.last_materialization_event_id, asset_partition_status.last_materialization_event_id), " +
        "last_materialized_at = COALESCE(excluded.last_materialized_at, asset_partition_status.last_materialized_at)) " +
        "SELECT id FROM e;";

    public async Task<long> AppendAsync(EventRecord record, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(InsertCommand(record));
        return (long)(await batch.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyList<long>> AppendBatchAsync(IReadOnlyList<EventRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count > BatchSize)
            return await dataSource.InTransactionAsync(connection => InsertAsync(connection, records, cancellationToken), cancellationToken);
        // One batch is one implicit transaction on the server (a single Sync): all of it or none, in one round trip.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await InsertAsync(connection, records, cancellationToken);
    }

    private static async Task<IReadOnlyList<long>> InsertAsync(NpgsqlConnection connection, IReadOnlyList<EventRecord> records, CancellationToken cancellationToken)
    {
        var ids = new List<long>(records.Count);
        foreach (var chunk in records.Chunk(BatchSize))
        {
            await using var batch = new NpgsqlBatch(connection);
            foreach (var record in chunk) batch.BatchCommands.Add(InsertCommand(record));
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            do
            {
                while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetInt64(0));
            } while (await reader.NextResultAsync(cancellationToken));
        }
        return ids;
    }

    public async Task<IReadOnlyList<EventRecord>> QueryAsync(EventQuery query, CancellationToken cancellationToken)
    {
        var where = new List<string> { "id > @after" };
        var parameters = new List<NpgsqlParameter> { Long("after", query.AfterId), Int("limit", QueryLimit.Check(query.Limit, "Event query")) };
        if (query.RunId is not null) { where.Add("run_id = @run"); parameters.Add(Text("run", query.RunId)); }
        if (query.Asset is not null) { where.Add("asset = @asset"); parameters.Add(Text("asset", query.Asset.Value)); }
        if (query.Partition is not null) { where.Add("partition_key = @partition"); parameters.Add(Text("partition", query.Partition.Value)); }
        if (query.Types is { } types) { where.Add("type = ANY(@types)"); parameters.Add(TextArray("types", types.Select(t => t.ToString()).ToArray())); }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            $"SELECT {EventColumns} FROM event_log WHERE {string.Join(" AND ", where)} ORDER BY id {(query.Descending ? "DESC" : "ASC")} LIMIT @limit;",
            parameters.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<EventRecord>();
        while (await reader.ReadAsync(cancellationToken)) events.Add(ReadEvent(reader));
        return events;
    }

    public Task<IReadOnlyList<AssetPartitionStatus>> GetPartitionStatusesAsync(AssetKey asset, CancellationToken cancellationToken) =>
        ReadStatusesAsync($"SELECT {StatusReadColumns} FROM asset_partition_status WHERE asset = @asset ORDER BY partition_key COLLATE \"C\";",
            asset.Value, _ => asset, cancellationToken);

    public Task<IReadOnlyList<AssetPartitionStatus>> GetAllStatusesAsync(CancellationToken cancellationToken)
    {
        var assets = new AssetKeyCache();
        return ReadStatusesAsync($"SELECT {StatusReadColumns}, asset FROM asset_partition_status ORDER BY asset COLLATE \"C\", partition_key COLLATE \"C\";",
            null, reader => assets.Get(reader.GetString(6)), cancellationToken);
    }

    private static NpgsqlBatchCommand InsertCommand(EventRecord record)
    {
        var state = PartitionStatusRule.StateAfter(record);
        var command = new NpgsqlBatchCommand(state is null ? InsertEvent + ";" : InsertEventAndStatus);
        command.Parameters.AddRange(new[]
        {
            Text("type", record.Type.ToString()), Text("run", record.RunId), Text("step", record.Step?.ToString()),
            Text("asset", record.Asset?.Value), Text("partition", record.Partition?.Value), Time("at", record.Timestamp),
            Text("level", record.Level), Text("message", record.Message), Json("metadata", InstanceJson.Metadata(record.Metadata)),
            Json("check", InstanceJson.Check(record.Check)),
        });
        if (state is { } s)
            command.Parameters.AddRange(new[]
            {
                Text("statusPartition", record.Partition?.Value ?? PartitionStatusRule.NoPartition), Text("state", s.ToString()),
                Bool("materialized", s == MaterializationState.Materialized),
            });
        return command;
    }

    private async Task<IReadOnlyList<AssetPartitionStatus>> ReadStatusesAsync(
        string sql, string? asset, Func<NpgsqlDataReader, AssetKey> assetOf, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(sql, asset is null ? [] : [Text("asset", asset)]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var statuses = new List<AssetPartitionStatus>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var partition = reader.GetString(0);
            statuses.Add(new AssetPartitionStatus(
                assetOf(reader),
                partition == PartitionStatusRule.NoPartition ? null : new PartitionKey(partition),
                MaterializationStateText.Parse(reader.GetString(1)),
                reader.GetString(2),
                ReadTime(reader, 3))
            {
                LastMaterializationEventId = reader.IsDBNull(4) ? null : reader.GetInt64(4),
                LastMaterializedAt = ReadTimeOrNull(reader, 5),
            });
        }
        return statuses;
    }

    private static EventRecord ReadEvent(NpgsqlDataReader r) =>
        new(Enum.Parse<EventType>(r.GetString(1)), r.GetString(2), ReadTime(r, 4))
        {
            Id = r.GetInt64(0),
            Step = r.IsDBNull(3) ? null : StepKey.Parse(r.GetString(3)),
            Level = r.GetString(5),
            Message = r.GetString(6),
            Metadata = InstanceJson.ReadMetadata(r.GetString(7)),
            Check = InstanceJson.ReadCheck(ReadStringOrNull(r, 8)),
        };
}
