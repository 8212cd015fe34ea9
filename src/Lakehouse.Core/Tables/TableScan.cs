namespace Lakehouse.Core.Tables;

/// <summary>What to read: a row filter, optionally some columns only, optionally an older snapshot (time travel).</summary>
public sealed record TableScan
{
    public RowFilter Filter { get; init; } = RowFilter.All;
    public IReadOnlyList<string>? Columns { get; init; }
    public long? SnapshotId { get; init; }
}
