using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance.Storage;
using Lakehouse.Core.Partitions;
using Microsoft.Data.Sqlite;
using static Lakehouse.Core.Instance.Sqlite.SqliteCommands;

namespace Lakehouse.Core.Instance.Sqlite;

/// <summary>The event log in SQLite, with <c>asset_partition_status</c> updated in the transaction of each insert.</summary>
internal sealed class SqliteEventLogStore(SqliteDatabase database) : IEventLogStore
{
    private const string EventColumns = "id, type, run_id, step_key, timestamp, level, message, metadata, check_result";
    private const string StatusColumns = "asset, partition_key, state, run_id, updated_at, last_materialization_event_id, last_materialized_at";
    // What a status read selects; a single-asset read already knows the asset, so it is not read back.
    private const string StatusReadColumns = "partition_key, state, run_id, updated_at, last_materialization_event_id, last_materialized_at";

    private const string InsertEvent =
        "INSERT INTO event_log (type, run_id, step_key, asset, partition_key, timestamp, level, message, metadata, check_result) " +
        "VALUES ($type, $run, $step, $asset, $partition, $at, $level, $message, $metadata, $check) RETURNING id;";

    private const string UpsertStatus =
        $"INSERT INTO asset_partition_status ({StatusColumns}) VALUES ($asset, $partition, $state, $run, $at, $eventId, $materializedAt) " +
        "ON CONFLICT (asset, partition_key) DO UPDATE SET state = excluded.state, run_id = excluded.run_id, updated_at = excluded.updated_at, " +
        "last_materialization_event_id = COALESCE(excluded.last_materialization_event_id, last_materialization_event_id), " +
        "last_materialized_at = COALESCE(excluded.last_materialized_at, last_materialized_at);";

    public Task<long> AppendAsync(EventRecord record, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var writer = new EventWriter(connection);
            return await writer.WriteAsync(record, cancellationToken);
        }, cancellationToken);

    public Task<IReadOnlyList<long>> AppendBatchAsync(IReadOnlyList<EventRecord> records, CancellationToken cancellationToken) =>
        database.WriteAsync<IReadOnlyList<long>>(async connection =>
        {
            await using var writer = new EventWriter(connection);
            var ids = new List<long>(records.Count);
            foreach (var record in records) ids.Add(await writer.WriteAsync(record, cancellationToken));
            return ids;
        }, cancellationToken);

    public async Task<IReadOnlyList<EventRecord>> QueryAsync(EventQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var where = new List<string> { "id > $after" };
        command.Parameters.AddWithValue("$after", query.AfterId);
        if (query.RunId is not null) { where.Add("run_id = $run"); command.Parameters.AddWithValue("$run", query.RunId); }
        if (query.Asset is not null) { where.Add("asset = $asset"); command.Parameters.AddWithValue("$asset", query.Asset.Value); }
        if (query.Partition is not null) { where.Add("partition_key = $partition"); command.Parameters.AddWithValue("$partition", query.Partition.Value); }
        if (query.Types is { } types)
        {
            var names = types.Select((t, i) => (Name: $"$t{i}", Value: t.ToString())).ToList();
            where.Add(names.Count == 0 ? "0" : $"type IN ({string.Join(", ", names.Select(n => n.Name))})");
            foreach (var (name, value) in names) command.Parameters.AddWithValue(name, value);
        }
        command.Parameters.AddWithValue("$limit", QueryLimit.Check(query.Limit, "Event query"));
        command.CommandText = $"SELECT {EventColumns} FROM event_log WHERE {string.Join(" AND ", where)} ORDER BY id {(query.Descending ? "DESC" : "ASC")} LIMIT $limit;";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<EventRecord>();
        while (await reader.ReadAsync(cancellationToken)) events.Add(ReadEvent(reader));
        return events;
    }

    public Task<IReadOnlyList<AssetPartitionStatus>> GetPartitionStatusesAsync(AssetKey asset, CancellationToken cancellationToken) =>
        ReadStatusesAsync($"SELECT {StatusReadColumns} FROM asset_partition_status WHERE asset = $asset ORDER BY partition_key;",
            asset, cancellationToken);

    public Task<IReadOnlyList<AssetPartitionStatus>> GetAllStatusesAsync(CancellationToken cancellationToken) =>
        ReadStatusesAsync($"SELECT {StatusReadColumns}, asset FROM asset_partition_status ORDER BY asset, partition_key;",
            null, cancellationToken);

    private async Task<IReadOnlyList<AssetPartitionStatus>> ReadStatusesAsync(string sql, AssetKey? asset, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // Synchronous: SQLite runs in process, so awaiting per row would only add cost (it never yields).
        return SqliteStatusRows.Read(connection, sql, asset, cancellationToken);
    }

    private static EventRecord ReadEvent(SqliteDataReader r) =>
        new(Enum.Parse<EventType>(r.GetString(1)), r.GetString(2), Time(r, 4))
        {
            Id = r.GetInt64(0),
            Step = r.IsDBNull(3) ? null : StepKey.Parse(r.GetString(3)),
            Level = r.GetString(5),
            Message = r.GetString(6),
            Metadata = InstanceJson.ReadMetadata(r.GetString(7)),
            Check = InstanceJson.ReadCheck(StringOrNull(r, 8)),
        };

    /// <summary>The insert and the status upsert, prepared once and reused for every event of a batch.</summary>
    private sealed class EventWriter : IAsyncDisposable
    {
        private readonly SqliteCommand _insert;
        private readonly SqliteCommand _upsert;

        public EventWriter(SqliteConnection connection)
        {
            _insert = connection.Command(InsertEvent);
            foreach (var name in new[] { "$type", "$run", "$step", "$asset", "$partition", "$at", "$level", "$message", "$metadata", "$check" })
                _insert.Parameters.Add(new SqliteParameter { ParameterName = name });
            _upsert = connection.Command(UpsertStatus);
            foreach (var name in new[] { "$asset", "$partition", "$state", "$run", "$at", "$eventId", "$materializedAt" })
                _upsert.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        public async Task<long> WriteAsync(EventRecord record, CancellationToken cancellationToken)
        {
            Set(_insert, "$type", record.Type.ToString());
            Set(_insert, "$run", record.RunId);
            Set(_insert, "$step", record.Step?.ToString());
            Set(_insert, "$asset", record.Asset?.Value);
            Set(_insert, "$partition", record.Partition?.Value);
            Set(_insert, "$at", Ticks(record.Timestamp));
            Set(_insert, "$level", record.Level);
            Set(_insert, "$message", record.Message);
            Set(_insert, "$metadata", InstanceJson.Metadata(record.Metadata));
            Set(_insert, "$check", InstanceJson.Check(record.Check));
            var id = (long)(await _insert.ExecuteScalarAsync(cancellationToken))!;

            if (PartitionStatusRule.StateAfter(record) is { } state)
            {
                var materialized = state == MaterializationState.Materialized;
                Set(_upsert, "$asset", record.Asset!.Value);
                Set(_upsert, "$partition", record.Partition?.Value ?? PartitionStatusRule.NoPartition);
                Set(_upsert, "$state", state.ToString());
                Set(_upsert, "$run", record.RunId);
                Set(_upsert, "$at", Ticks(record.Timestamp));
                Set(_upsert, "$eventId", materialized ? id : null);
                Set(_upsert, "$materializedAt", materialized ? Ticks(record.Timestamp) : null);
                await _upsert.ExecuteNonQueryAsync(cancellationToken);
            }
            return id;
        }

        public async ValueTask DisposeAsync()
        {
            await _insert.DisposeAsync();
            await _upsert.DisposeAsync();
        }

        private static void Set(SqliteCommand command, string name, object? value) => command.Parameters[name].Value = value ?? DBNull.Value;
    }
}
