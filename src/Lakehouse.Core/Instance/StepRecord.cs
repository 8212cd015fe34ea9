using Lakehouse.Core.Execution;

namespace Lakehouse.Core.Instance;

/// <summary>A stored step of a run's plan, with the steps it waits for.</summary>
public sealed record StepRecord(string RunId, StepKey Key, StepStatus Status, IReadOnlyList<StepKey> DependsOn)
{
    public int Attempt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public string? Error { get; init; }
}
