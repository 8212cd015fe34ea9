using Lakehouse.Core.Execution;

namespace Lakehouse.Core.Instance.Storage;

/// <summary>
/// One run, locked for one decision: the few reads and writes <see cref="RunTransitions"/> needs, each touching only the
/// steps concerned, so a decision costs the same in a plan of ten steps or of ten thousand.
/// </summary>
internal abstract class RunSession(string runId, RunStatus status)
{
    public string RunId { get; } = runId;
    public RunStatus Status { get; private set; } = status;

    /// <summary>The step, or an error naming the run and the step when the plan has no such step.</summary>
    public async Task<PlanStep> StepAsync(StepKey key) =>
        await FindStepAsync(key) ?? throw new KeyNotFoundException($"Run '{RunId}' has no step '{key}'.");

    protected abstract Task<PlanStep?> FindStepAsync(StepKey key);

    /// <summary>The steps that list <paramref name="key"/> among their upstream steps, in plan order.</summary>
    public abstract Task<IReadOnlyList<PlanStep>> DependentsAsync(StepKey key);

    /// <summary>Every step in one of these statuses, in plan order.</summary>
    public abstract Task<IReadOnlyList<PlanStep>> StepsInAsync(params StepStatus[] statuses);

    public abstract Task<bool> AnyStepInAsync(params StepStatus[] statuses);

    /// <summary>True when every upstream step of <paramref name="key"/> has succeeded (or it has none).</summary>
    public abstract Task<bool> UpstreamSucceededAsync(StepKey key);

    /// <summary>
    /// The Pending steps whose upstream steps have all succeeded, in plan order; with <paramref name="dependentsOf"/>, only
    /// the dependents of that step. A store whose round trips cost more than its queries answers this in one query.
    /// </summary>
    public virtual async Task<IReadOnlyList<PlanStep>> ReadyPendingAsync(StepKey? dependentsOf = null)
    {
        var candidates = dependentsOf is { } key ? await DependentsAsync(key) : await StepsInAsync(StepStatus.Pending);
        var ready = new List<PlanStep>();
        foreach (var step in candidates)
            if (step.Status == StepStatus.Pending && await UpstreamSucceededAsync(step.Key)) ready.Add(step);
        return ready;
    }

    /// <summary>Writes status, attempt, times and error of each step.</summary>
    public abstract Task SaveStepsAsync(IReadOnlyList<PlanStep> steps);

    public async Task SaveRunAsync(RunStatus status, DateTimeOffset? startedAt, DateTimeOffset? endedAt)
    {
        await WriteRunAsync(status, startedAt, endedAt);
        Status = status;
    }

    /// <summary>Writes the run's status; a null time leaves the stored one as it is.</summary>
    protected abstract Task WriteRunAsync(RunStatus status, DateTimeOffset? startedAt, DateTimeOffset? endedAt);
}
