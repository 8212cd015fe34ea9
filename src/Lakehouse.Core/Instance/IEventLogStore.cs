using Lakehouse.Core.Assets;
using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Instance;

/// <summary>The event log, and the latest-status table it keeps up to date as events are written.</summary>
public interface IEventLogStore
{
    /// <summary>
    /// Appends an event and returns its id. StepStarted marks the step's (asset, partition) Running, Materialization marks it
    /// Materialized, StepFailed marks it Failed — in the same transaction as the insert.
    /// </summary>
    Task<long> AppendAsync(EventRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// Appends events in order, with the same status updates as <see cref="AppendAsync"/>, and returns their ids;
    /// stores write them in one transaction (a backfill of many partitions, a bulk import).
    /// </summary>
    async Task<IReadOnlyList<long>> AppendBatchAsync(IReadOnlyList<EventRecord> records, CancellationToken cancellationToken)
    {
        var ids = new List<long>(records.Count);
        foreach (var record in records) ids.Add(await AppendAsync(record, cancellationToken));
        return ids;
    }

    Task<IReadOnlyList<EventRecord>> QueryAsync(EventQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Partition counts by state and the latest materialization of one asset, or of every asset with a status when
    /// <paramref name="asset"/> is null: counted in the database, so a million partitions come back as a few rows.
    /// </summary>
    Task<IReadOnlyList<AssetStatusCounts>> GetStatusCountsAsync(AssetKey? asset, CancellationToken cancellationToken);

    /// <summary>
    /// At most <paramref name="limit"/> partition statuses of one asset in the keys' byte order, starting after the partition
    /// <paramref name="after"/> (from the first when null): how pages list partitions without reading them all.
    /// </summary>
    Task<IReadOnlyList<AssetPartitionStatus>> GetPartitionStatusPageAsync(AssetKey asset, PartitionKey? after, int limit, CancellationToken cancellationToken);

    /// <summary>The latest status of every partition of one asset.</summary>
    Task<IReadOnlyList<AssetPartitionStatus>> GetPartitionStatusesAsync(AssetKey asset, CancellationToken cancellationToken);

    /// <summary>The latest status of every (asset, partition) the instance knows.</summary>
    Task<IReadOnlyList<AssetPartitionStatus>> GetAllStatusesAsync(CancellationToken cancellationToken);
}
