using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Instance;

/// <summary>A stored step of a run's plan, with the steps it waits for and the upstream partitions it reads.</summary>
public sealed record StepRecord(string RunId, StepKey Key, StepStatus Status, IReadOnlyList<StepKey> DependsOn)
{
    public static IReadOnlyDictionary<AssetKey, IReadOnlyList<PartitionKey>> NoReads { get; } = new Dictionary<AssetKey, IReadOnlyList<PartitionKey>>();

    public int Attempt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public string? Error { get; init; }

    /// <summary>For each upstream asset, the partitions this step reads, fixed when the run was planned (<see cref="PlannedStep.UpstreamPartitions"/>).</summary>
    public IReadOnlyDictionary<AssetKey, IReadOnlyList<PartitionKey>> UpstreamPartitions { get; init; } = NoReads;
}
