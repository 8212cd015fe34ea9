namespace Lakehouse.Core.Instance;

/// <summary>A stored backfill: the selection, the partition range as typed, how its partitions are split into runs, and where it stands.</summary>
public sealed record BackfillRecord(long Id, BackfillStatus Status, string Selection, string PartitionSpec, DateTimeOffset CreatedAt)
{
    public int PartitionsPerRun { get; init; } = 1;
    /// <summary>True when every partition is in one run (<see cref="PartitionsPerRun"/> is then the total).</summary>
    public bool SingleRun { get; init; }
    public int MaxConcurrentRuns { get; init; } = 1;
    public int Total { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
}
