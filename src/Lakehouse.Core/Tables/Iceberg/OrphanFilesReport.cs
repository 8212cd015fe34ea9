namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>What orphan-file removal did: files under the table before and after, orphans deleted, orphans kept for being too young.</summary>
public sealed record OrphanFilesReport(
    TableIdentifier Table, int FilesBefore, int FilesAfter, int OrphansDeleted, int YoungOrphansKept, long BytesReclaimed, IReadOnlyList<string> DeletedLocations);
