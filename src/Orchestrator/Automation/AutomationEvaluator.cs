using System.Globalization;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Partitions;

namespace TmLakehouse.Orchestrator.Automation;

/// <summary>
/// Decides, for every partition of every automated asset, whether to request it now and why, from <see cref="AutomationInputs"/>
/// alone (no query per partition): each dependency's upstream partitions are folded once into one <see cref="UpstreamSummary"/>
/// per downstream partition they map to, so a tick costs a few passes over the statuses whatever their number.
/// </summary>
/// <remarks>
/// Assets are decided in topological order, so a partition requested in this tick is known to its downstream assets: one in the
/// same group joins the same run (the plan orders them); one in another group waits for the next tick, since another run will
/// update its upstream first.
/// </remarks>
public sealed class AutomationEvaluator(AssetGraph graph)
{
    /// <summary>What the previous evaluation saw and decided, per asset; an asset whose inputs are the same is not decided again.</summary>
    private Memo? _previous;

    /// <summary>
    /// Decides every partition of every automated asset. The decisions are a function of the inputs alone, so an asset whose own
    /// statuses, open steps, partitions and cron tick and those of its upstreams are as in the previous evaluation (and whose
    /// upstreams' requests did not change) keeps its previous decisions: a quiet tick over 100,000 partitions compares the
    /// statuses it read instead of deciding each partition again.
    /// </summary>
    public IReadOnlyList<AutomationDecision> Evaluate(AutomationInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var memo = new Memo(inputs);
        var previous = _previous;
        // A step runs its whole definition: an open step of silver/fact_telemetry_event is in progress for fact_device_health too.
        var open = new Dictionary<AssetKey, HashSet<string>>();
        foreach (var step in inputs.OpenSteps)
        {
            if (!graph.TryGet(step.Asset, out var definition)) continue;
            foreach (var key in definition.Keys) SetOf(open, key).Add(Text(step.Partition));
        }
        memo.Open = open;
        var changed = previous is null ? null : ChangedAssets(previous, memo);
        var statuses = new Dictionary<AssetKey, Dictionary<string, AssetPartitionStatus>>();
        Dictionary<string, AssetPartitionStatus>? StatusesOf(AssetKey asset)
        {
            if (statuses.TryGetValue(asset, out var byKey)) return byKey;
            if (!memo.Statuses.TryGetValue(asset, out var rows)) return null;
            statuses[asset] = byKey = new Dictionary<string, AssetPartitionStatus>(rows.Count, StringComparer.Ordinal);
            foreach (var status in rows) byKey[Text(status.Partition)] = status;
            return byKey;
        }
        var requested = new Dictionary<AssetKey, HashSet<string>>();
        // An asset switched off requests nothing now, whatever it requested before.
        var requestsChanged = previous?.Decisions.Keys.Where(a => !inputs.Automated.Contains(a)).ToHashSet() ?? [];
        var decisions = new List<AutomationDecision>();
        foreach (var asset in graph.InTopologicalOrder(graph.Assets))
        {
            if (!inputs.Automated.Contains(asset)) continue;
            var spec = graph.Spec(asset);
            var cronTick = inputs.CronTicks.GetValueOrDefault(asset);
            if (changed is not null && previous!.Decisions.TryGetValue(asset, out var kept) && !changed.Contains(asset)
                && previous.CronTicks.GetValueOrDefault(asset) == cronTick
                && spec.Deps.All(d => !changed.Contains(d.Key) && !requestsChanged.Contains(d.Key)))
            {
                decisions.AddRange(kept);
                memo.Decisions[asset] = kept;
                requested[asset] = memo.Requested[asset] = previous.Requested[asset];
                continue;
            }
            var condition = spec.Automation!;
            var own = StatusesOf(asset);
            var ownOpen = open.GetValueOrDefault(asset);
            var deps = spec.Deps.Select(d => new Dependency(d, graph.Spec(d.Key), graph.Spec(d.Key).EffectiveGroup == spec.EffectiveGroup,
                Summaries(d, StatusesOf(d.Key), open, requested, inputs))).ToList();
            var asked = SetOf(requested, asset);
            IReadOnlyList<PartitionKey?> partitions = spec.Partitions is null ? [null] : [.. inputs.Partitions.GetValueOrDefault(asset) ?? []];
            var mine = new List<AutomationDecision>(partitions.Count);
            foreach (var partition in partitions)
            {
                var text = Text(partition);
                var status = own?.GetValueOrDefault(text);
                var (yes, reason) = ownOpen?.Contains(text) == true || status?.State == MaterializationState.Running
                    ? (false, $"in progress (run {status?.RunId ?? "queued"})")
                    : Decide(condition, status, partition, deps, cronTick);
                if (yes) asked.Add(text);
                mine.Add(new AutomationDecision(asset, partition, yes, reason));
            }
            decisions.AddRange(mine);
            memo.Decisions[asset] = mine;
            memo.Requested[asset] = asked;
            if (previous?.Requested.TryGetValue(asset, out var before) != true || !before!.SetEquals(asked)) requestsChanged.Add(asset);
        }
        _previous = memo;
        return decisions;
    }

    /// <summary>The assets whose statuses, open steps or partitions differ from the previous evaluation's.</summary>
    private static HashSet<AssetKey> ChangedAssets(Memo previous, Memo now)
    {
        var changed = new HashSet<AssetKey>();
        foreach (var asset in now.Statuses.Keys.Union(previous.Statuses.Keys))
            if (!now.Statuses.TryGetValue(asset, out var rows) || !previous.Statuses.TryGetValue(asset, out var before) || !SameStatuses(rows, before))
                changed.Add(asset);
        foreach (var asset in now.Open!.Keys.Union(previous.Open!.Keys))
            if (!now.Open.TryGetValue(asset, out var steps) || !previous.Open.TryGetValue(asset, out var before) || !steps.SetEquals(before))
                changed.Add(asset);
        foreach (var (asset, keys) in now.Inputs.Partitions)
            if (!previous.Inputs.Partitions.TryGetValue(asset, out var before) || !(ReferenceEquals(keys, before) || keys.SequenceEqual(before)))
                changed.Add(asset);
        foreach (var asset in previous.Inputs.Partitions.Keys)
            if (!now.Inputs.Partitions.ContainsKey(asset)) changed.Add(asset);
        return changed;
    }

    /// <summary>Two reads of one asset's statuses (both in key order) are the same.</summary>
    private static bool SameStatuses(List<AssetPartitionStatus> a, List<AssetPartitionStatus> b)
    {
        if (a.Count != b.Count) return false;
        for (var i = 0; i < a.Count; i++)
        {
            AssetPartitionStatus x = a[i], y = b[i];
            if (x.State != y.State || x.UpdatedAt != y.UpdatedAt || x.LastMaterializationEventId != y.LastMaterializationEventId
                || x.LastMaterializedAt != y.LastMaterializedAt || !string.Equals(x.RunId, y.RunId, StringComparison.Ordinal)
                || !string.Equals(x.Partition?.Value, y.Partition?.Value, StringComparison.Ordinal))
                return false;
        }
        return true;
    }

    /// <summary>One evaluation's inputs, grouped by asset, and its decisions and requests per asset.</summary>
    private sealed class Memo
    {
        public Memo(AutomationInputs inputs)
        {
            Inputs = inputs;
            foreach (var status in inputs.Statuses)
            {
                if (!Statuses.TryGetValue(status.Asset, out var rows)) Statuses[status.Asset] = rows = [];
                rows.Add(status);
            }
        }

        public AutomationInputs Inputs { get; }
        public IReadOnlyDictionary<AssetKey, DateTimeOffset?> CronTicks => Inputs.CronTicks;
        public Dictionary<AssetKey, List<AssetPartitionStatus>> Statuses { get; } = [];
        public Dictionary<AssetKey, HashSet<string>>? Open { get; set; }
        public Dictionary<AssetKey, List<AutomationDecision>> Decisions { get; } = [];
        public Dictionary<AssetKey, HashSet<string>> Requested { get; } = [];
    }

    private sealed record Dependency(AssetDependency Edge, AssetSpec Upstream, bool SameGroup, Func<PartitionKey?, UpstreamSummary> SummaryOf);

    private static (bool, string) Decide(AutomationCondition condition, AssetPartitionStatus? own, PartitionKey? partition, List<Dependency> deps, DateTimeOffset? cronTick)
    {
        var summaries = deps.Select(d => (Dep: d, Summary: d.SummaryOf(partition))).ToList();
        if (condition.Kind == AutomationKind.OnCron)
        {
            if (cronTick is not { } tick) return (false, $"no tick of {condition.Cron} yet");
            if (own?.LastMaterializedAt >= tick) return (false, $"materialized since the tick at {Time(tick)}");
            if (own?.State == MaterializationState.Failed && own.UpdatedAt >= tick) return (false, $"failed since the tick at {Time(tick)} (run {own.RunId}); waiting for the next tick");
        }
        if (condition.Kind == AutomationKind.Missing)
        {
            if (own?.LastMaterializationEventId is not null) return (false, $"materialized ({Time(own.LastMaterializedAt)})");
            if (own?.State == MaterializationState.Failed) return (false, $"its materialization failed (run {own.RunId}); materialize it by hand");
        }
        foreach (var (dep, s) in summaries)
        {
            if (s.AnyInProgress) return (false, $"waiting: upstream {Step(dep, s.InProgress)} is in progress");
            if (s.Failed is { } failed) return (false, $"waiting: upstream {Step(dep, failed.Partition)} failed (run {failed.RunId})");
            if (s.Requested && !dep.SameGroup) return (false, $"waiting: upstream {dep.Upstream.Key} is requested in this tick by the {dep.Upstream.EffectiveGroup} group's run");
        }
        switch (condition.Kind)
        {
            case AutomationKind.Missing:
                foreach (var (dep, s) in summaries)
                    if (s.AnyMissing && !s.Requested) return (false, $"waiting: upstream {Step(dep, s.Missing)} is not materialized");
                return (true, "never materialized");
            case AutomationKind.OnCron:
                foreach (var (dep, s) in summaries)
                    if (!s.Requested && (s.Partitions == 0 || s.AnyMissing || s.OldestAt < cronTick))
                        return (false, s.Partitions == 0 ? $"waiting: upstream {dep.Upstream.Key} has no partition for it"
                            : $"waiting: upstream {Step(dep, s.AnyMissing ? s.Missing : s.OldestKey)} not updated since the tick at {Time(cronTick)}");
                return (true, $"tick at {Time(cronTick)}{(summaries.Count == 0 ? "" : " and every upstream updated since")}");
            default:
                if (summaries.Count == 0) return (false, "no upstream to follow");
                var joining = summaries.FirstOrDefault(x => x.Summary.Requested);
                if (joining.Dep is not null) return (true, $"upstream {joining.Dep.Upstream.Key} is requested in the same run");
                var ownId = own?.LastMaterializationEventId;
                var newer = summaries.Where(x => x.Summary.NewestEventId is { } id && (ownId is null || id > ownId)).OrderByDescending(x => x.Summary.NewestEventId).FirstOrDefault();
                if (newer.Dep is null)
                    return (false, ownId is null ? "waiting: no upstream partition is materialized yet"
                        : $"up to date: no upstream updated since its materialization at {Time(own!.LastMaterializedAt)}");
                // A failure is not retried in a loop: only an upstream update after it asks again.
                if (own?.State == MaterializationState.Failed && !(newer.Summary.NewestAt > own.UpdatedAt))
                    return (false, $"its last materialization failed (run {own.RunId}); waiting for an upstream update");
                return (true, ownId is null
                    ? $"never materialized; upstream {Step(newer.Dep, newer.Summary.NewestKey)} is"
                    : $"upstream {Step(newer.Dep, newer.Summary.NewestKey)} updated after its materialization at {Time(own!.LastMaterializedAt)}");
        }
    }

    /// <summary>Folds the upstream's partitions by the downstream partition each maps to; a mapping of unknown kind is asked partition by partition.</summary>
    private static Func<PartitionKey?, UpstreamSummary> Summaries(AssetDependency dep, Dictionary<string, AssetPartitionStatus>? upstreamStatuses,
        Dictionary<AssetKey, HashSet<string>> open, Dictionary<AssetKey, HashSet<string>> requested, AutomationInputs inputs)
    {
        var upstreamOpen = open.GetValueOrDefault(dep.Key);
        var upstreamRequested = requested.GetValueOrDefault(dep.Key);
        IReadOnlyList<PartitionKey?> keys = inputs.Partitions.TryGetValue(dep.Key, out var known)
            ? [.. known.Select(k => (PartitionKey?)k).Union(upstreamStatuses?.Values.Select(s => s.Partition).Where(p => p is not null) ?? [])]
            : [null];
        void Add(UpstreamSummary summary, PartitionKey? key)
        {
            var text = Text(key);
            summary.Add(key, upstreamStatuses?.GetValueOrDefault(text), upstreamOpen?.Contains(text) == true, upstreamRequested?.Contains(text) == true);
        }
        Func<PartitionKey?, string>? groupOf = dep.Mapping switch
        {
            null or IdentityPartitionMapping => k => Text(k),
            DimensionPartitionMapping d => k => k is null ? "" : DimensionValue(k.Value, d.Dimension),
            AllPartitionMapping => _ => "",
            _ => null,
        };
        if (groupOf is null)
        {
            var existing = keys.OfType<PartitionKey>().ToList();
            return down =>
            {
                var summary = new UpstreamSummary();
                foreach (var key in dep.Mapping!.UpstreamKeys(down, existing)) Add(summary, key);
                return summary;
            };
        }
        var groups = new Dictionary<string, UpstreamSummary>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var group = groupOf(key);
            if (!groups.TryGetValue(group, out var summary)) groups[group] = summary = new UpstreamSummary();
            Add(summary, key);
        }
        // The downstream side of the same mapping: its partition's value of the dimension, itself, or the one group of All.
        Func<PartitionKey?, string> lookup = dep.Mapping switch
        {
            DimensionPartitionMapping d => k => k is null ? "" : DimensionValue(k.Value, d.Dimension),
            AllPartitionMapping => _ => "",
            _ => k => Text(k),
        };
        var empty = new UpstreamSummary();
        return down => groups.GetValueOrDefault(lookup(down)) ?? empty;
    }

    /// <summary>The value of one dimension in a key's text (<c>course_id=a,ingest_date=…</c>), without building the key's dictionary: this runs once per partition.</summary>
    internal static string DimensionValue(string key, string dimension)
    {
        if (!key.Contains('=')) return key;
        var start = 0;
        while (start < key.Length)
        {
            var end = key.IndexOf(',', start);
            if (end < 0) end = key.Length;
            var eq = key.IndexOf('=', start, end - start);
            if (eq > start && key.AsSpan(start, eq - start).Trim().SequenceEqual(dimension)) return key[(eq + 1)..end].Trim();
            start = end + 1;
        }
        throw new KeyNotFoundException($"Partition key '{key}' has no dimension '{dimension}'.");
    }

    private static HashSet<string> SetOf(Dictionary<AssetKey, HashSet<string>> sets, AssetKey key)
    {
        if (!sets.TryGetValue(key, out var set)) sets[key] = set = new HashSet<string>(StringComparer.Ordinal);
        return set;
    }

    private static string Text(PartitionKey? key) => key?.Value ?? "";

    private static string Step(Dependency dep, PartitionKey? key) => key is null ? dep.Upstream.Key.Value : $"{dep.Upstream.Key}[{key}]";

    private static string Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "unknown";
}
