namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>What a compaction did: live data files and bytes before and after, and the snapshot it committed (null when nothing needed compacting).</summary>
public sealed record CompactionReport(
    TableIdentifier Table, long? SnapshotId, int FilesBefore, int FilesAfter, long BytesBefore, long BytesAfter, long RowsRewritten, int PartitionsCompacted);
