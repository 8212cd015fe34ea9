namespace Lakehouse.Core.Instance;

/// <summary>One evaluation of every automation condition: how many asset-partitions it looked at and requested, the runs it launched, or its error.</summary>
public sealed record AutomationTick(DateTimeOffset StartedAt)
{
    public long Id { get; init; }
    public TimeSpan Duration { get; init; }
    public long Evaluated { get; init; }
    public long Requested { get; init; }
    public IReadOnlyList<string> RunIds { get; init; } = [];
    public string? Error { get; init; }
}
