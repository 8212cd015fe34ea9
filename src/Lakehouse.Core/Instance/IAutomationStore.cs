using Lakehouse.Core.Execution;

namespace Lakehouse.Core.Instance;

/// <summary>What the automation daemon reads beyond the latest statuses, and its ticks and decisions (migration 0016).</summary>
public interface IAutomationStore
{
    /// <summary>The (asset, partition) of every step still to run or running in a run not ended, in one query: work already asked for.</summary>
    Task<IReadOnlyList<StepKey>> GetOpenStepsAsync(CancellationToken cancellationToken);

    /// <summary>The latest decisions, of one asset or (null) of every asset.</summary>
    Task<IReadOnlyList<AutomationDecision>> GetDecisionsAsync(Assets.AssetKey? asset, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a tick, then, in the same transaction, the decisions that changed (stamped with the tick's id) and the removal of
    /// those no condition covers any more; prunes ticks older than <paramref name="pruneBefore"/>. Returns the tick's id.
    /// </summary>
    Task<long> SaveTickAsync(AutomationTick tick, IReadOnlyList<AutomationDecision> changed, IReadOnlyList<StepKey> removed,
        DateTimeOffset pruneBefore, CancellationToken cancellationToken);

    /// <summary>The latest ticks, newest first.</summary>
    Task<IReadOnlyList<AutomationTick>> GetTicksAsync(int limit, CancellationToken cancellationToken);
}
