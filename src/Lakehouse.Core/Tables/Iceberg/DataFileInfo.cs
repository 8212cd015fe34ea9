namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>A data file as a manifest records it: location, partition values (internal form), counts and column metrics.</summary>
internal sealed record DataFileInfo(
    string Path,
    object?[] Partition,
    long RecordCount,
    long FileSizeInBytes,
    IReadOnlyDictionary<int, long> ColumnSizes,
    IReadOnlyDictionary<int, long> ValueCounts,
    IReadOnlyDictionary<int, long> NullValueCounts,
    IReadOnlyDictionary<int, byte[]> LowerBounds,
    IReadOnlyDictionary<int, byte[]> UpperBounds);

/// <summary>Manifest entry status values of the spec.</summary>
internal static class EntryStatus
{
    public const int Existing = 0;
    public const int Added = 1;
    public const int Deleted = 2;
}

/// <summary>One manifest entry, with sequence numbers already inherited.</summary>
internal sealed record ManifestEntry(int Status, long SnapshotId, long SequenceNumber, long FileSequenceNumber, DataFileInfo File);

/// <summary>One partition field's summary in a manifest list entry.</summary>
internal sealed record PartitionFieldSummary(bool ContainsNull, byte[]? LowerBound, byte[]? UpperBound);

/// <summary>One entry of a manifest list.</summary>
internal sealed record ManifestFileInfo(
    string Path, long Length, int SpecId, long SequenceNumber, long MinSequenceNumber, long AddedSnapshotId,
    int AddedFiles, int ExistingFiles, int DeletedFiles, long AddedRows, long ExistingRows, long DeletedRows,
    IReadOnlyList<PartitionFieldSummary> Partitions);
