namespace Lakehouse.Core.Sql;

/// <summary>Which snapshot of a table a SQL view reads: the current one, a snapshot id, or the one current at a time.</summary>
public sealed record SnapshotSelector
{
    public static SnapshotSelector Current { get; } = new();

    public long? SnapshotId { get; init; }
    public DateTimeOffset? AsOf { get; init; }

    public static SnapshotSelector Id(long snapshotId) => new() { SnapshotId = snapshotId };
    public static SnapshotSelector At(DateTimeOffset time) => new() { AsOf = time };

    public override string ToString() => SnapshotId is { } id ? $"snapshot {id}" : AsOf is { } at ? $"as of {at:yyyy-MM-dd HH:mm:ss}Z" : "current snapshot";
}
