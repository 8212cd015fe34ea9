namespace Lakehouse.Core.Instance;

/// <summary>One run of a backfill as its progress shows it: the chunk, its run (null before launch) and status (null when the run is not stored), its partitions.</summary>
public sealed record BackfillRun(int Chunk, string? RunId, string? Status, int Partitions, string FirstPartition, string LastPartition, string? LaunchError);
