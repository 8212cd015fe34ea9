using Lakehouse.Core.Assets;

namespace Lakehouse.Core.Execution;

/// <summary>The fixed steps of a run in dependency order: assets topologically, then partition keys in order.</summary>
public sealed class RunPlan
{
    private readonly Dictionary<StepKey, PlannedStep> _byKey;
    private readonly Dictionary<StepKey, List<PlannedStep>> _dependents;

    public RunPlan(IReadOnlyList<AssetKey> assets, IReadOnlyList<PlannedStep> steps)
    {
        Assets = assets;
        Steps = steps;
        _byKey = new Dictionary<StepKey, PlannedStep>();
        _dependents = new Dictionary<StepKey, List<PlannedStep>>();
        foreach (var step in steps)
        {
            if (!_byKey.TryAdd(step.Key, step)) throw new ArgumentException($"Step {step.Key} is planned twice.", nameof(steps));
            _dependents[step.Key] = [];
            foreach (var dependency in step.DependsOn)
            {
                if (!_dependents.TryGetValue(dependency, out var waiting))
                    throw new ArgumentException($"Step {step.Key} depends on {dependency}, which is not planned before it.", nameof(steps));
                waiting.Add(step);
            }
        }
    }

    /// <summary>The selected assets, in topological order.</summary>
    public IReadOnlyList<AssetKey> Assets { get; }

    /// <summary>Every step; each comes after all the steps it depends on.</summary>
    public IReadOnlyList<PlannedStep> Steps { get; }

    public PlannedStep Get(StepKey key) =>
        _byKey.TryGetValue(key, out var step) ? step : throw new KeyNotFoundException($"Step {key} is not in this plan.");

    public bool Contains(StepKey key) => _byKey.ContainsKey(key);

    /// <summary>The steps that wait for <paramref name="key"/> directly, in plan order.</summary>
    public IReadOnlyList<PlannedStep> Dependents(StepKey key) =>
        _dependents.TryGetValue(key, out var waiting) ? waiting : throw new KeyNotFoundException($"Step {key} is not in this plan.");
}
