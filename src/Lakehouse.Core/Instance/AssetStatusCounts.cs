using Lakehouse.Core.Assets;

namespace Lakehouse.Core.Instance;

/// <summary>
/// How many partitions of one asset are in each state, and its latest materialization: an asset's status as the store
/// aggregates it, without a row per partition leaving the database.
/// </summary>
public sealed record AssetStatusCounts(AssetKey Asset, IReadOnlyDictionary<MaterializationState, int> States)
{
    /// <summary>The latest successful materialization of any partition.</summary>
    public DateTimeOffset? LastMaterializedAt { get; init; }

    /// <summary>The event id of the newest successful materialization of any partition (ids grow with time).</summary>
    public long? LastMaterializationEventId { get; init; }

    /// <summary>Partitions with a status.</summary>
    public int Total => States.Values.Sum();

    /// <summary>The counts of an asset with no status yet.</summary>
    public static AssetStatusCounts None(AssetKey asset) => new(asset, new Dictionary<MaterializationState, int>());
}
