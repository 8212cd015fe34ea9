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
