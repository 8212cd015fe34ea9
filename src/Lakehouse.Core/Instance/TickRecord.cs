namespace Lakehouse.Core.Instance;

/// <summary>One evaluation of a schedule or sensor.</summary>
public sealed record TickRecord(string Name, DateTimeOffset Timestamp, string Status)
{
    /// <summary>The runs it launched.</summary>
    public IReadOnlyList<string> RunIds { get; init; } = [];
    public string? Error { get; init; }
}
