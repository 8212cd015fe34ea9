namespace Lakehouse.Core.Sensors;

/// <summary>
/// What an evaluation returns: run requests, the new cursor (null keeps the old one), a reason when there is nothing to request,
/// and errors that fail the tick (e.g. an invalid manifest), recorded beside whatever else was requested.
/// </summary>
public sealed record SensorResult
{
    public IReadOnlyList<SensorRunRequest> RunRequests { get; init; } = [];
    public string? Cursor { get; init; }
    public string? SkipReason { get; init; }
    public IReadOnlyList<string> Errors { get; init; } = [];

    public static SensorResult Skip(string reason, string? cursor = null) => new() { SkipReason = reason, Cursor = cursor };
}
