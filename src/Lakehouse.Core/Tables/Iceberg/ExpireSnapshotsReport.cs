namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>What snapshot expiry did: snapshots kept, files no retained snapshot needed deleted, bytes reclaimed.</summary>
public sealed record ExpireSnapshotsReport(
    TableIdentifier Table, int SnapshotsBefore, int SnapshotsAfter, int FilesBefore, int FilesAfter, int FilesDeleted, long BytesReclaimed);
