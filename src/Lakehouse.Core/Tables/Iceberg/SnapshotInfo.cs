namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>One snapshot as the metadata JSON records it.</summary>
internal sealed record SnapshotInfo(
    long SnapshotId, long? ParentSnapshotId, long SequenceNumber, long TimestampMs, string ManifestList, int SchemaId,
    IReadOnlyDictionary<string, string> Summary)
{
    public string Operation => Summary.TryGetValue("operation", out var op) ? op : "append";
}
