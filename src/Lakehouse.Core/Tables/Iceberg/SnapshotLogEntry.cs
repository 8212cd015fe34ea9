namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>One entry of the metadata's snapshot-log.</summary>
internal sealed record SnapshotLogEntry(long TimestampMs, long SnapshotId);
