using Lakehouse.Core.Execution;

namespace Lakehouse.Core.Instance.Storage;

/// <summary>A run and its whole plan, loaded inside the store's lock so the transitions are decided on a consistent view.</summary>
internal sealed class RunPlanState
{
    private readonly Dictionary<StepKey, PlanStep> _byKey;

    public RunPlanState(string runId, RunStatus status, IReadOnlyList<PlanStep> steps)
    {
        RunId = runId;
        Status = status;
        Steps = steps;
        _byKey = steps.ToDictionary(s => s.Key);
    }

    public string RunId { get; }
    public RunStatus Status { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public bool RunChanged { get; set; }
    public IReadOnlyList<PlanStep> Steps { get; }

    public PlanStep Step(StepKey key) =>
        _byKey.TryGetValue(key, out var step)
            ? step
            : throw new KeyNotFoundException($"Run '{RunId}' has no step '{key}'.");
}
