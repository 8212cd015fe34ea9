using Lakehouse.Core.Assets;
using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Execution;

/// <summary>
/// Turns a run request into a fixed plan of steps (asset × partition) with their dependencies and upstream reads. A request
/// of more than <paramref name="maxPartitions"/> partitions (TM_MAX_RUN_PARTITIONS) is refused: one run's plan is one row
/// set written in one transaction, and a season of history belongs in a backfill, which splits it into runs.
/// </summary>
public sealed class RunPlanner(AssetGraph graph, IPartitionKeySource source, TimeProvider clock, int maxPartitions = RunPlanner.DefaultMaxPartitions)
{
    public const int DefaultMaxPartitions = 10_000;

    /// <summary>
    /// Plans the request, or throws <see cref="AssetSelectionException"/> for a bad selection and
    /// <see cref="RunPlanException"/> for partition keys that are missing or do not fit. <paramref name="keySource"/>, when given,
    /// is read instead of the planner's source (a <see cref="LaunchSnapshot"/> shared by the launches of a backfill tick).
    /// </summary>
    public async Task<RunPlan> PlanAsync(RunRequest request, CancellationToken cancellationToken, IPartitionKeySource? keySource = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var keysFrom = keySource ?? source;
        var assets = AssetSelection.Parse(request.Selection).Resolve(graph);
        // The same key asked for twice is one step; merging here keeps 200,000 copies of a key from reaching the store.
        var given = request.Partitions.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (request.AllPartitions && given.Count > 0)
            throw new RunPlanException("Give either --partition or --all-partitions, not both.");
        if (request.PartitionsByAsset is not null && (given.Count > 0 || request.AllPartitions))
            throw new RunPlanException("Partitions per asset replace --partition and --all-partitions; give one of them.");
        CheckCount(given.Count);
        CheckDimensionNames(given, assets);

        var existing = new Dictionary<AssetKey, IReadOnlyList<PartitionKey>>();
        async Task<IReadOnlyList<PartitionKey>> ExistingKeys(AssetKey asset, CancellationToken ct)
        {
            if (existing.TryGetValue(asset, out var keys)) return keys;
            var definition = graph.Spec(asset).Partitions;
            keys = definition is null ? [] : (await definition.GetKeysAsync(keysFrom, clock, ct)).Distinct().Order().ToList();
            existing[asset] = keys;
            return keys;
        }

        // Steps run whole definitions: a selection of any asset of a multi-asset definition plans that definition's step.
        var stepAssets = graph.StepAssetsInOrder(assets);
        var planned = new Dictionary<AssetKey, IReadOnlyList<PartitionKey?>>();
        var unspecified = new List<AssetKey>();
        foreach (var asset in stepAssets)
        {
            var definition = graph.Spec(asset).Partitions;
            if (definition is null) planned[asset] = [null];
            else if (request.AllPartitions)
            {
                var keys = await ExistingKeys(asset, cancellationToken);
                if (keys.Count == 0)
                    throw new RunPlanException($"{asset} has no partitions yet, so --all-partitions gives it nothing to run.");
                planned[asset] = keys;
            }
            else if (request.PartitionsByAsset is { } byAsset)
            {
                // A step runs its whole definition: the partitions asked of any of its assets.
                var own = graph.Get(asset).Keys.SelectMany(k => byAsset.GetValueOrDefault(k.Value) ?? []).Where(p => !string.IsNullOrWhiteSpace(p))
                    .Select(p => p.Trim()).Distinct(StringComparer.Ordinal).ToList();
                if (own.Count == 0) unspecified.Add(asset);
                else planned[asset] = await Requested(asset, definition, own, ct => ExistingKeys(asset, ct), keysFrom, cancellationToken);
            }
            else if (given.Count == 0) unspecified.Add(asset);
            else planned[asset] = await Requested(asset, definition, given, ct => ExistingKeys(asset, ct), keysFrom, cancellationToken);
            if (planned.TryGetValue(asset, out var chosen)) CheckCount(chosen.Count);
        }
        if (unspecified.Count > 0)
            throw new RunPlanException(
                $"{string.Join(", ", unspecified.Select(a => $"{a} (by {string.Join(" × ", graph.Spec(a).Partitions!.DimensionNames)})"))} " +
                $"{(unspecified.Count == 1 ? "is" : "are")} partitioned: give --partition or --all-partitions.");

        var parents = new Dictionary<AssetKey, ParentPartitions>();
        async Task<ParentPartitions> PartitionsOf(AssetKey parent, CancellationToken ct)
        {
            if (parents.TryGetValue(parent, out var keys)) return keys;
            var inRun = planned.TryGetValue(graph.StepAssetOf(parent), out var p) ? p.OfType<PartitionKey>().ToList() : [];
            return parents[parent] = new ParentPartitions(await ExistingKeys(parent, ct), inRun);
        }

        var steps = new List<PlannedStep>();
        foreach (var asset in stepAssets)
        foreach (var partition in planned[asset])
            steps.Add(await Step(asset, partition, planned, PartitionsOf, cancellationToken));
        return new RunPlan(assets, steps);
    }

    private async Task<IReadOnlyList<PartitionKey?>> Requested(
        AssetKey asset, PartitionsDefinition definition, IReadOnlyList<string> given,
        Func<CancellationToken, Task<IReadOnlyList<PartitionKey>>> existingKeys, IPartitionKeySource source, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var keys = new List<PartitionKey>();
        foreach (var text in given)
        foreach (var key in await RequestedPartition.ResolveAsync(text, asset, definition, existingKeys, source, clock, cancellationToken))
        {
            if (RequestedPartition.Unavailable(definition, key, today) is { } reason)
                throw new RunPlanException($"Partition '{text}' of {asset} cannot run yet: {reason}.");
            keys.Add(key);
        }
        return keys.Distinct().Order().ToList();
    }

    private async Task<PlannedStep> Step(
        AssetKey asset, PartitionKey? partition, Dictionary<AssetKey, IReadOnlyList<PartitionKey?>> planned,
        Func<AssetKey, CancellationToken, Task<ParentPartitions>> parentPartitions, CancellationToken cancellationToken)
    {
        var dependsOn = new List<StepKey>();
        var reads = new Dictionary<AssetKey, IReadOnlyList<PartitionKey>>();
        var definition = graph.Get(asset);
        // A multi-asset step reads what any of its assets reads, except its own assets.
        foreach (var dependency in definition.Specs.SelectMany(s => s.Deps).Where(d => !definition.Keys.Contains(d.Key)))
        {
            var parent = dependency.Key;
            var parentStep = graph.StepAssetOf(parent);
            if (reads.ContainsKey(parent)) continue;
            if (graph.Spec(parent).Partitions is null)
            {
                reads[parent] = [];
                if (planned.ContainsKey(parentStep)) dependsOn.Add(new StepKey(parentStep, null));
                continue;
            }

            var mapping = dependency.Mapping ?? new IdentityPartitionMapping();
            var keys = await parentPartitions(parent, cancellationToken);
            reads[parent] = mapping.UpstreamKeys(partition, keys.Existing).Where(keys.ExistingSet.Contains).Distinct().Order().ToList();

            // Only partitions of the parent that this run materializes are waited on; the rest are read as they are.
            dependsOn.AddRange(mapping.UpstreamKeys(partition, keys.Planned).Where(keys.PlannedSet.Contains).Distinct().Order()
                .Select(k => new StepKey(parentStep, k)));
        }
        return new PlannedStep(new StepKey(asset, partition), dependsOn.Distinct().ToList(), reads);
    }

    /// <summary>The distinct partitions a request names, as the run stores them (duplicates merged, order kept).</summary>
    public static IReadOnlyList<string> DistinctPartitions(RunRequest request) =>
        request.AllPartitions ? ["*"]
        : request.PartitionsByAsset is { } byAsset ? byAsset.Values.SelectMany(p => p).Select(p => p.Trim()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList()
        : request.Partitions.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim()).Distinct(StringComparer.Ordinal).ToList();

    private void CheckCount(int partitions)
    {
        if (partitions > maxPartitions)
            throw new RunPlanException(
                $"The request names {partitions} partitions; one run takes at most {maxPartitions} (TM_MAX_RUN_PARTITIONS). " +
                "Launch a backfill instead (`tmlake backfill --select S --partitions ...`): it runs them as many runs and can be resumed.");
    }

    // A partition nothing selected can take, or a dimension no selected asset has, is almost always a mistake; ignoring it would silently widen the run.
    private void CheckDimensionNames(IReadOnlyList<string> given, IReadOnlyList<AssetKey> assets)
    {
        var known = assets.SelectMany(a => graph.Spec(a).Partitions?.DimensionNames ?? []).ToHashSet(StringComparer.Ordinal);
        if (given.Count > 0 && known.Count == 0)
            throw new RunPlanException($"--partition was given, but none of the selected assets ({string.Join(", ", assets)}) is partitioned.");
        foreach (var text in given)
        {
            var unknown = RequestedPartition.Dimensions(text)?.Keys.Where(d => !known.Contains(d)).ToList() ?? [];
            if (unknown.Count > 0)
                throw new RunPlanException(
                    $"Partition '{text}' names dimension {string.Join(", ", unknown)}, which no selected asset has " +
                    $"(they have {string.Join(", ", known.Order(StringComparer.Ordinal))}).");
        }
    }
}
