namespace Lakehouse.Core.Instance;

/// <summary>The partitions of one run of a backfill, and the run id claimed for it (null before a claim).</summary>
public sealed record BackfillChunk(int Chunk, string? RunId, IReadOnlyList<string> Partitions);
