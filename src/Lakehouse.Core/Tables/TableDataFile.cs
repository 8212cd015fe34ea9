namespace Lakehouse.Core.Tables;

/// <summary>One live data file of a snapshot.</summary>
public sealed record TableDataFile(string Path, long RecordCount, long SizeInBytes, IReadOnlyDictionary<string, string> PartitionValues);
