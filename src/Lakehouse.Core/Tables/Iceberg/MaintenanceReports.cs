namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>What a compaction did: live data files and bytes before and after, and the snapshot it committed (null when nothing needed compacting).</summary>
public sealed record CompactionReport(
    TableIdentifier Table, long? SnapshotId, int FilesBefore, int FilesAfter, long BytesBefore, long BytesAfter, long RowsRewritten, int PartitionsCompacted);

/// <summary>What snapshot expiry did: snapshots kept, files no retained snapshot needed deleted, bytes reclaimed.</summary>
public sealed record ExpireSnapshotsReport(
    TableIdentifier Table, int SnapshotsBefore, int SnapshotsAfter, int FilesBefore, int FilesAfter, int FilesDeleted, long BytesReclaimed);

/// <summary>What orphan-file removal did: files under the table before and after, orphans deleted, orphans kept for being too young.</summary>
public sealed record OrphanFilesReport(
    TableIdentifier Table, int FilesBefore, int FilesAfter, int OrphansDeleted, int YoungOrphansKept, long BytesReclaimed, IReadOnlyList<string> DeletedLocations);
