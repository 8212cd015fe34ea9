using Lakehouse.Core.Execution;

namespace Lakehouse.Core.Instance;

/// <summary>
/// What changed in a run after a step transition, decided atomically in the store: steps that just became ready
/// (now Queued, to enqueue exactly once), steps skipped because an upstream failed, and the run's final status if it ended.
/// </summary>
public sealed record RunProgress(IReadOnlyList<StepKey> ReadyToEnqueue, IReadOnlyList<StepKey> Skipped, RunStatus? RunEnded)
{
    public static RunProgress Nothing { get; } = new([], [], null);
}
