namespace Lakehouse.Core.Tables;

/// <summary>The result of one atomic commit.</summary>
public sealed record TableCommit(long SnapshotId, long AddedRows, long RemovedRows, int AddedFiles, int RemovedFiles, long AddedBytes, long TotalRows)
{
    /// <summary>Where the written data files are (for run summaries).</summary>
    public IReadOnlyList<string> AddedFilePaths { get; init; } = [];
}
