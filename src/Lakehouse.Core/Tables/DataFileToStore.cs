namespace Lakehouse.Core.Tables;

/// <summary>A data file a table writer is about to store: its object key in the table's bucket, its local copy, size and row count.</summary>
public sealed record DataFileToStore(string Key, string LocalPath, long Size, long RecordCount);
