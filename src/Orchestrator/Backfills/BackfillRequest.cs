namespace TmLakehouse.Orchestrator.Backfills;

/// <summary>What a backfill is asked for: a selection, a partition range (<see cref="Lakehouse.Core.Execution.PartitionSpec"/>) and how to split it into runs.</summary>
public sealed record BackfillRequest(string Selection, string Partitions)
{
    public int PartitionsPerRun { get; init; } = 1;
    /// <summary>One run for every partition (at most TM_MAX_RUN_PARTITIONS of them).</summary>
    public bool SingleRun { get; init; }
    public int MaxConcurrentRuns { get; init; } = 4;
}
