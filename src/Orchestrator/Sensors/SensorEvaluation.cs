using Lakehouse.Core.Instance;

namespace TmLakehouse.Orchestrator.Sensors;

/// <summary>What one evaluation did: the tick recorded (null for a dry run, or when another process held the sensor), and under
/// --dry-run the requests it would launch.</summary>
public sealed record SensorEvaluation(SensorTick? Tick, string? NotEvaluated)
{
    public IReadOnlyList<(string RunKey, string Selection, IReadOnlyList<string> Partitions)> WouldLaunch { get; init; } = [];
    public IReadOnlyList<string> WouldSkip { get; init; } = [];
    public IReadOnlyList<string> Errors { get; init; } = [];
}
