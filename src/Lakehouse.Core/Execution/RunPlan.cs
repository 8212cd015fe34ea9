using Lakehouse.Core.Assets;

namespace Lakehouse.Core.Execution;

/// <summary>The fixed steps of a run in dependency order: assets topologically, then partition keys in order.</summary>
public sealed class RunPlan
{
    private readonly Dictionary<StepKey, PlannedStep> _byKey;

    public RunPlan(IReadOnlyList<AssetKey> assets, IReadOnlyList<PlannedStep> steps)
    {
        Assets = assets;
        Steps = steps;
        _byKey = new Dictionary<StepKey, PlannedStep>();
        foreach (var step in steps)
        {
            if (!_byKey.TryAdd(step.Key, step)) throw new ArgumentException($"Step {step.Key} is planned twice.", nameof(steps));
            var unknown = step.DependsOn.FirstOrDefault(d => !_byKey.ContainsKey(d));
            if (unknown is not null)
                throw new ArgumentException($"Step {step.Key} depends on {unknown}, which is not planned before it.", nameof(steps));
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
    public IReadOnlyList<PlannedStep> Dependents(StepKey key) => Steps.Where(s => s.DependsOn.Contains(key)).ToList();
}
