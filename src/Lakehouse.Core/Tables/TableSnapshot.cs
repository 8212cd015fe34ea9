namespace Lakehouse.Core.Tables;

/// <summary>One snapshot of a table's history.</summary>
public sealed record TableSnapshot(long SnapshotId, long? ParentSnapshotId, long SequenceNumber, DateTimeOffset Timestamp, string Operation, bool IsCurrent)
{
    /// <summary>The snapshot summary (Iceberg's string map: added-records, total-records ...).</summary>
    public IReadOnlyDictionary<string, string> Summary { get; init; } = new Dictionary<string, string>();
}
