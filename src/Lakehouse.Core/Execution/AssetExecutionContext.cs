using Lakehouse.Core.Assets;
using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Execution;

/// <summary>Everything one step sees: which run, asset and partition, its inputs, a logger, a clock and the resources.</summary>
public sealed class AssetExecutionContext
{
    public required string RunId { get; init; }
    /// <summary>The step's asset (of a multi-asset definition, the first, which names its steps).</summary>
    public required AssetKey AssetKey { get; init; }
    /// <summary>Every asset the computation materializes: <see cref="AssetKey"/> alone, or all of a multi-asset definition.</summary>
    public IReadOnlyList<AssetKey> AssetKeys { get => _assetKeys ?? [AssetKey]; init => _assetKeys = value; }
    public PartitionKey? Partition { get; init; }
    /// <summary>1 for the first try.</summary>
    public int Attempt { get; init; } = 1;
    /// <summary>The upstream partitions this step reads, fixed by the plan, each readable through its upstream's storage.</summary>
    public AssetInputs Inputs { get; init; } = AssetInputs.None;
    /// <summary>For each upstream asset, the partitions this step reads (after the partition mapping).</summary>
    public IReadOnlyDictionary<AssetKey, IReadOnlyList<PartitionKey>> UpstreamPartitions => Inputs.Partitions;
    /// <summary>A logger enriched with run_id, asset_key, partition and step; lines also go to the run's event log.</summary>
    public required Serilog.ILogger Log { get; init; }
    public required TimeProvider Clock { get; init; }
    public required LakehouseResources Resources { get; init; }

    /// <summary>The step's name within the run.</summary>
    public StepKey Step => new(AssetKey, Partition);

    private readonly IReadOnlyList<AssetKey>? _assetKeys;

    /// <summary>
    /// What a table commit of this step records in its snapshot summary, so a snapshot names the run, asset and partition that
    /// wrote it (<c>tmlake table history</c> shows them; other engines see them in the metadata).
    /// </summary>
    public IReadOnlyDictionary<string, string> SnapshotSummary => SnapshotSummaryOf(AssetKey);

    /// <summary>The <see cref="SnapshotSummary"/> of one asset of a multi-asset step (each table names the asset it holds).</summary>
    public IReadOnlyDictionary<string, string> SnapshotSummaryOf(AssetKey asset)
    {
        var summary = new Dictionary<string, string> { ["tm.run-id"] = RunId, ["tm.asset"] = asset.ToString() };
        if (Partition is not null) summary["tm.partition"] = Partition.Value;
        return summary;
    }

    /// <summary>The partition's value of one dimension; throws when unpartitioned.</summary>
    public string PartitionValue(string dimension) =>
        (Partition ?? throw new InvalidOperationException($"{AssetKey} ran without a partition but needs '{dimension}'.")).Get(dimension);
}
