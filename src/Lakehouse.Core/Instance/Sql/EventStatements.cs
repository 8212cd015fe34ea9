using Lakehouse.Core.Instance.Storage;

namespace Lakehouse.Core.Instance.Sql;

/// <summary>
/// The statements that write one event: its row, then the latest-status row of each asset it moves (in the same
/// transaction, so the status can never disagree with the log).
/// </summary>
internal static class EventStatements
{
    private const string Insert =
        "INSERT INTO event_log (type, run_id, step_key, asset, partition_key, timestamp, level, message, metadata, check_result) " +
        "VALUES (@type, @run, @step, @asset, @partition, @at, @level, @message, @metadata, @check)";

    private const string StatusColumns = "asset, partition_key, state, run_id, updated_at, last_materialization_event_id, last_materialized_at";

    /// <summary>With <paramref name="returnId"/>, the insert returns the new id as a row.</summary>
    public static IEnumerable<SqlStatement> For(SqlDialect dialect, EventRecord record, bool returnId)
    {
        yield return new SqlStatement(returnId ? Insert + " RETURNING id;" : Insert + ";", returnId)
            .Text("type", record.Type.ToString()).Text("run", record.RunId).Text("step", record.Step?.ToString())
            .Text("asset", record.Asset?.Value).Text("partition", record.Partition?.Value).Time("at", record.Timestamp)
            .Text("level", record.Level).Text("message", record.Message).Json("metadata", InstanceJson.Metadata(record.Metadata))
            .Json("check", InstanceJson.Check(record.Check));
        if (PartitionStatusRule.StateAfter(record) is not { } state) yield break;
        var materialized = state == MaterializationState.Materialized;
        foreach (var asset in (IEnumerable<Assets.AssetKey>)[record.Asset!, .. record.OtherAssets])
            yield return new SqlStatement(Upsert(dialect, materialized))
                .Text("asset", asset.Value).Text("partition", record.Partition?.Value ?? PartitionStatusRule.NoPartition)
                .Text("state", state.ToString()).Text("run", record.RunId).Time("at", record.Timestamp);
    }

    // Two texts (with and without the event id) rather than a CASE: each is prepared once and neither evaluates what it does not keep.
    private static string Upsert(SqlDialect dialect, bool materialized) =>
        $"INSERT INTO asset_partition_status ({StatusColumns}) VALUES (@asset, @partition, @state, @run, @at, " +
        (materialized ? $"{dialect.LastInsertedId}, @at) " : "NULL, NULL) ") +
        "ON CONFLICT (asset, partition_key) DO UPDATE SET state = excluded.state, run_id = excluded.run_id, updated_at = excluded.updated_at, " +
        "last_materialization_event_id = COALESCE(excluded.last_materialization_event_id, asset_partition_status.last_materialization_event_id), " +
        "last_materialized_at = COALESCE(excluded.last_materialized_at, asset_partition_status.last_materialized_at);";
}
