using Lakehouse.Core.Assets;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Execution;

/// <summary>
/// What a plan must satisfy before a run of it is stored: every step's partition is one its asset has (a value the
/// partitions definition does not know would otherwise run, and fail or write nothing, as a stored run), and every
/// upstream a step reads outside the run has been materialized at least once (else the step could only fail).
/// Refusals are <see cref="RunPlanException"/>s: CLI exit 2, REST 400, nothing stored.
/// </summary>
/// <remarks>
/// Separate from <see cref="RunPlanner"/> because landing plans its verifying run before the partition it lands is
/// registered (to refuse a bad date before writing anything); only a launch needs the keys to exist.
/// </remarks>
public sealed class LaunchCheck(AssetGraph graph, LakehouseInstance instance, TimeProvider clock)
{
    private const int Shown = 3;

    /// <summary>Refuses a plan that breaks a rule; <paramref name="snapshot"/> shares the instance reads of many launches (a backfill tick).</summary>
    public async Task CheckAsync(RunPlan plan, CancellationToken cancellationToken, LaunchSnapshot? snapshot = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        snapshot ??= new LaunchSnapshot(instance);
        await CheckKnownPartitionsAsync(plan, snapshot, cancellationToken);
        await CheckUpstreamMaterializedAsync(plan, snapshot, cancellationToken);
    }

    private async Task CheckKnownPartitionsAsync(RunPlan plan, LaunchSnapshot snapshot, CancellationToken cancellationToken)
    {
        foreach (var steps in plan.Steps.Where(s => s.Key.Partition is not null).GroupBy(s => s.Key.Asset))
        {
            var definition = graph.Spec(steps.Key).Partitions!;
            var known = (await definition.GetKeysAsync(snapshot, clock, cancellationToken)).ToHashSet();
            var unknown = steps.Select(s => s.Key.Partition!).Where(p => !known.Contains(p)).ToList();
            if (unknown.Count == 0) continue;
            // Keys only grow during a tick: one the shared read missed may have been added since.
            known = (await definition.GetKeysAsync(instance.Partitions, clock, cancellationToken)).ToHashSet();
            unknown = unknown.Where(p => !known.Contains(p)).ToList();
            if (unknown.Count == 0) continue;
            var example = known.Count == 0 ? "it has no partitions yet" : $"it has {known.Count}, e.g. '{known.Min()}'";
            throw new RunPlanException(
                $"{steps.Key} has no partition {Sample(unknown)} ({example}); `tmlake assets` lists what exists.");
        }
    }

    private async Task CheckUpstreamMaterializedAsync(RunPlan plan, LaunchSnapshot snapshot, CancellationToken cancellationToken)
    {
        var planned = plan.Steps.Select(s => s.Key).ToHashSet();
        var refreshed = new HashSet<AssetKey>();
        // A miss reads the asset again once per launch before refusing: the shared read may predate a materialization.
        async Task<bool> Materialized(AssetKey asset, IEnumerable<string> keys)
        {
            var wanted = keys.ToList();
            if (wanted.Any((await snapshot.MaterializedAsync(asset, false, cancellationToken)).Contains)) return true;
            return refreshed.Add(asset) && wanted.Any((await snapshot.MaterializedAsync(asset, true, cancellationToken)).Contains);
        }

        foreach (var step in plan.Steps)
        foreach (var (parent, reads) in step.UpstreamPartitions)
        {
            var parentStep = graph.StepAssetOf(parent);
            if (graph.Spec(parent).Partitions is null)
            {
                if (planned.Contains(new StepKey(parentStep, null)) || await Materialized(parent, [""])) continue;
                throw Unmaterialized(step.Key, parent, "");
            }
            // One partition read that this run makes, or that exists already, is enough: a per-course step reads every day there is.
            if (reads.Any(r => planned.Contains(new StepKey(parentStep, r)))) continue;
            if (await Materialized(parent, reads.Select(r => r.Value))) continue;
            throw Unmaterialized(step.Key, parent, reads.Count == 0 ? " (no partition of it maps to this one)" : $" {Sample(reads)}");
        }
    }

    private static RunPlanException Unmaterialized(StepKey step, AssetKey parent, string which) => new(
        $"{step} reads {parent}{which}, which has never been materialized: select it too (--select +{step.Asset}) or materialize it first.");

    private static string Sample(IReadOnlyList<PartitionKey> keys) =>
        string.Join(", ", keys.Take(Shown).Select(k => $"'{k}'")) + (keys.Count > Shown ? $" and {keys.Count - Shown} more" : "");
}
