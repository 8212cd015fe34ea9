using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Execution;

/// <summary>A parent asset's partitions as the planner sees them: all that exist (known to the instance or planned) and those in this run.</summary>
internal sealed class ParentPartitions
{
    public ParentPartitions(IEnumerable<PartitionKey> known, IReadOnlyList<PartitionKey> planned)
    {
        Planned = planned;
        PlannedSet = planned.ToHashSet();
        Existing = known.Union(planned).Order().ToList();
        ExistingSet = Existing.ToHashSet();
    }

    public IReadOnlyList<PartitionKey> Existing { get; }
    public HashSet<PartitionKey> ExistingSet { get; }
    public IReadOnlyList<PartitionKey> Planned { get; }
    public HashSet<PartitionKey> PlannedSet { get; }
}
