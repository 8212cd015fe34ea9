using Lakehouse.Core.Assets;
using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Instance;

/// <summary>The latest state of one (asset, partition).</summary>
public enum MaterializationState { Materialized, Failed, Running, Canceled }

/// <summary>
/// The latest status of one (asset, partition), kept in its own table and updated as events are written —
/// never computed by scanning the event log.
/// </summary>
public sealed record AssetPartitionStatus(AssetKey Asset, PartitionKey? Partition, MaterializationState State, string RunId, DateTimeOffset UpdatedAt)
{
    /// <summary>The event id of the last successful materialization, if any.</summary>
    public long? LastMaterializationEventId { get; init; }
    public DateTimeOffset? LastMaterializedAt { get; init; }
}
