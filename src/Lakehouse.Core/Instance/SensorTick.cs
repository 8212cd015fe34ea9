namespace Lakehouse.Core.Instance;

/// <summary>
/// One evaluation of a sensor: when it started and how long it took, its status (<see cref="SensorTickStatus"/>), the runs it
/// launched, how many requests it skipped with a bounded sample of why (a run key already seen), the reason it skipped or failed,
/// and the cursor it left.
/// </summary>
/// <remarks>
/// Only a sample of the skips is kept: a sensor re-listing 10,000 keys it has seen would otherwise store 10,000 texts per tick,
/// which cost more than the tick's one run-key query.
/// </remarks>
public sealed record SensorTick(string Sensor, DateTimeOffset StartedAt, string Status)
{
    public long Id { get; init; }
    public TimeSpan Duration { get; init; }
    public IReadOnlyList<string> RunIds { get; init; } = [];
    /// <summary>The first <see cref="SkipSampleSize"/> skips with why; <see cref="Skipped"/> counts them all.</summary>
    public IReadOnlyList<string> Skips { get; init; } = [];
    /// <summary>How many requests the tick skipped.</summary>
    public long Skipped { get; init; }
    /// <summary>The skip reason, or the error of a failed tick.</summary>
    public string? Reason { get; init; }
    public string? Cursor { get; init; }

    /// <summary>How many skip texts a tick keeps.</summary>
    public const int SkipSampleSize = 20;
}

/// <summary>The statuses of <see cref="SensorTick"/> (the schema's CHECK has the same list).</summary>
public static class SensorTickStatus
{
    public const string Launched = "launched";
    public const string Skipped = "skipped";
    public const string Failed = "failed";
}
