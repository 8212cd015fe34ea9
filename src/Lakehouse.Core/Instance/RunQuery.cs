using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Instance;

/// <summary>Filters for listing runs, newest first.</summary>
public sealed record RunQuery
{
    public RunStatus? Status { get; init; }
    /// <summary>Runs with a step of this asset.</summary>
    public AssetKey? Asset { get; init; }
    /// <summary>Runs with a step of this partition.</summary>
    public PartitionKey? Partition { get; init; }
    /// <summary>Runs that re-execute this run (its children).</summary>
    public string? ParentRunId { get; init; }
    public int Limit { get; init; } = 50;
}
