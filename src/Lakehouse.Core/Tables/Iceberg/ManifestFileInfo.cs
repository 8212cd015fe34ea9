namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>One entry of a manifest list.</summary>
internal sealed record ManifestFileInfo(
    string Path, long Length, int SpecId, long SequenceNumber, long MinSequenceNumber, long AddedSnapshotId,
    int AddedFiles, int ExistingFiles, int DeletedFiles, long AddedRows, long ExistingRows, long DeletedRows,
    IReadOnlyList<PartitionFieldSummary> Partitions);
