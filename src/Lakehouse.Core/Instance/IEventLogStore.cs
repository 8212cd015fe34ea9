using Lakehouse.Core.Assets;

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

    /// <summary>The latest status of every partition of one asset.</summary>
    Task<IReadOnlyList<AssetPartitionStatus>> GetPartitionStatusesAsync(AssetKey asset, CancellationToken cancellationToken);

    /// <summary>The latest status of every (asset, partition) the instance knows.</summary>
    Task<IReadOnlyList<AssetPartitionStatus>> GetAllStatusesAsync(CancellationToken cancellationToken);
}
