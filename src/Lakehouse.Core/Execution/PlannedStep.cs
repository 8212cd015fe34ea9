using Lakehouse.Core.Assets;
using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Execution;

/// <summary>
/// One step of a plan: the steps of this run it waits for, and for each parent asset the partitions it reads
/// (out of every partition the parent has, not only those in this run).
/// </summary>
public sealed record PlannedStep(StepKey Key, IReadOnlyList<StepKey> DependsOn, IReadOnlyDictionary<AssetKey, IReadOnlyList<PartitionKey>> UpstreamPartitions);
