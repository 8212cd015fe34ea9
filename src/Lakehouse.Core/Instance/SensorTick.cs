namespace Lakehouse.Core.Instance;

/// <summary>
/// One evaluation of a sensor: when it started and how long it took, its status (<see cref="SensorTickStatus"/>), the runs it
/// launched, the requests it skipped with why (a run key already seen), the reason it skipped or failed, and the cursor it left.
/// </summary>
public sealed record SensorTick(string Sensor, DateTimeOffset StartedAt, string Status)
{
    public long Id { get; init; }
    public TimeSpan Duration { get; init; }
    public IReadOnlyList<string> RunIds { get; init; } = [];
    public IReadOnlyList<string> Skips { get; init; } = [];
    /// <summary>The skip reason, or the error of a failed tick.</summary>
    public string? Reason { get; init; }
    public string? Cursor { get; init; }
}

/// <summary>The statuses of <see cref="SensorTick"/> (the schema's CHECK has the same list).</summary>
public static class SensorTickStatus
{
    public const string Launched = "launched";
    public const string Skipped = "skipped";
    public const string Failed = "failed";
}
