namespace Lakehouse.Core.Assets;

/// <summary>The validated dependency graph of every asset, built once, with a stable topological order.</summary>
public sealed class AssetGraph
{
    private readonly Dictionary<AssetKey, AssetDefinition> _definitions;
    private readonly Dictionary<AssetKey, IReadOnlyList<AssetKey>> _parents;
    private readonly Dictionary<AssetKey, IReadOnlyList<AssetKey>> _children;
    private readonly Dictionary<AssetKey, int> _position;
    private readonly Dictionary<AssetKey, int> _stepPosition;

    private AssetGraph(Dictionary<AssetKey, AssetDefinition> definitions, Dictionary<AssetKey, IReadOnlyList<AssetKey>> parents,
        Dictionary<AssetKey, IReadOnlyList<AssetKey>> stepParents)
    {
        _definitions = definitions;
        _parents = parents;
        Assets = TopologicalOrder(parents);
        _stepPosition = TopologicalOrder(stepParents).Select((key, i) => (key, i)).ToDictionary(p => p.key, p => p.i);
        _position = Assets.Select((key, i) => (key, i)).ToDictionary(p => p.key, p => p.i);
        _children = Assets.ToDictionary(k => k, _ => (IReadOnlyList<AssetKey>)new List<AssetKey>());
        foreach (var key in Assets)
        foreach (var parent in parents[key])
            ((List<AssetKey>)_children[parent]).Add(key);
        Groups = Assets.GroupBy(k => definitions[k].SpecOf(k).EffectiveGroup)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<AssetKey>)g.ToList(), StringComparer.Ordinal);
    }

    /// <summary>Every asset key, upstream before downstream; assets at the same depth are ordered by key.</summary>
    public IReadOnlyList<AssetKey> Assets { get; }

    /// <summary>Each group's assets in topological order, groups ordered by name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<AssetKey>> Groups { get; }

    /// <summary>Validates the definitions and builds the graph, or throws <see cref="AssetGraphException"/> listing every problem.</summary>
    public static AssetGraph Build(IEnumerable<AssetDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        var problems = new List<string>();
        var byKey = new Dictionary<AssetKey, AssetDefinition>();
        var list = definitions.ToList();
        foreach (var group in list.SelectMany(d => d.Keys.Select(k => (Key: k, Definition: d))).GroupBy(p => p.Key))
        {
            if (group.Count() > 1) problems.Add($"Asset {group.Key} is defined {group.Count()} times.");
            byKey[group.Key] = group.First().Definition;
        }
        foreach (var multi in list.Where(d => d.OtherSpecs.Count > 0))
            foreach (var other in multi.OtherSpecs.Where(o => !ReferenceEquals(o.Partitions, multi.Spec.Partitions) && !Equals(o.Partitions, multi.Spec.Partitions)))
                problems.Add($"Asset {other.Key} is materialized with {multi.Key} by one computation, so it must have the same partitions (one step runs both).");

        var parents = new Dictionary<AssetKey, IReadOnlyList<AssetKey>>();
        foreach (var (key, definition) in byKey)
        {
            var spec = definition.SpecOf(key);
            if (!AssetSelectionTerm.IsName(spec.EffectiveGroup))
                problems.Add($"Asset {key} is in group '{spec.EffectiveGroup}', which a selection cannot name: use letters, digits, '_', '-' or '.'.");
            var known = new List<AssetKey>();
            foreach (var dependency in spec.Deps)
            {
                if (!byKey.TryGetValue(dependency.Key, out var upstream))
                {
                    problems.Add($"Asset {key} depends on {dependency.Key}, which is not defined.");
                    continue;
                }
                if (known.Contains(dependency.Key))
                {
                    problems.Add($"Asset {key} lists dependency {dependency.Key} more than once.");
                    continue;
                }
                known.Add(dependency.Key);
                if (PartitionAlignment.Problem(spec, dependency, upstream.SpecOf(dependency.Key)) is { } mismatch) problems.Add(mismatch);
            }
            parents[key] = known;
        }

        foreach (var cycle in DependencyCycles.Find(parents))
            problems.Add($"Dependency cycle {string.Join(" -> ", cycle)} (each asset depends on the next).");

        // Steps run whole definitions: two multi-assets that feed each other through different keys would wait on each other.
        var stepParents = StepParents(byKey, parents);
        if (problems.Count == 0)
            foreach (var cycle in DependencyCycles.Find(stepParents))
                problems.Add($"Step cycle {string.Join(" -> ", cycle)}: these computations each wait for the next one's assets.");

        if (problems.Count > 0) throw new AssetGraphException(problems);
        return new AssetGraph(byKey, parents, stepParents);
    }

    /// <summary>For each definition (by its step's key), the definitions whose assets it reads, its own left out.</summary>
    private static Dictionary<AssetKey, IReadOnlyList<AssetKey>> StepParents(
        Dictionary<AssetKey, AssetDefinition> byKey, Dictionary<AssetKey, IReadOnlyList<AssetKey>> parents) =>
        byKey.Values.Distinct().ToDictionary(d => d.Key, d => (IReadOnlyList<AssetKey>)d.Keys
            .SelectMany(k => parents[k]).Select(p => byKey[p].Key).Where(p => p != d.Key).Distinct().ToList());

    /// <summary>The spec of one asset (of a multi-asset definition, that asset's own spec).</summary>
    public AssetSpec Spec(AssetKey key) => Get(key).SpecOf(key);

    /// <summary>The asset whose steps materialize <paramref name="key"/>: the key itself, or the first key of its multi-asset definition.</summary>
    public AssetKey StepAssetOf(AssetKey key) => Get(key).Key;

    /// <summary>The asset whose steps a run of <paramref name="key"/> holds, for finding runs by asset; an unknown key as it is (it matches no run).</summary>
    public AssetKey StepAssetOrSelf(AssetKey key) => TryGet(key, out var definition) ? definition.Key : key;

    /// <summary>The step assets that materialize any of <paramref name="keys"/>, each once, upstream steps before downstream ones.</summary>
    public IReadOnlyList<AssetKey> StepAssetsInOrder(IEnumerable<AssetKey> keys) =>
        keys.Select(StepAssetOf).Distinct().OrderBy(k => _stepPosition[k]).ToList();

    public bool Contains(AssetKey key) => _definitions.ContainsKey(key);

    public AssetDefinition Get(AssetKey key) =>
        _definitions.TryGetValue(key, out var definition) ? definition : throw new KeyNotFoundException($"No asset {key} in the graph.");

    public bool TryGet(AssetKey key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AssetDefinition? definition) =>
        _definitions.TryGetValue(key, out definition);

    /// <summary>The assets <paramref name="key"/> depends on directly, in the order its spec lists them.</summary>
    public IReadOnlyList<AssetKey> Parents(AssetKey key) => _parents.TryGetValue(key, out var p) ? p : throw Unknown(key);

    /// <summary>The assets that depend directly on <paramref name="key"/>, in topological order.</summary>
    public IReadOnlyList<AssetKey> Children(AssetKey key) => _children.TryGetValue(key, out var c) ? c : throw Unknown(key);

    /// <summary>Every asset <paramref name="key"/> depends on, directly or not, in topological order (without the key).</summary>
    public IReadOnlyList<AssetKey> Upstream(AssetKey key) => Reach(key, Parents);

    /// <summary>Every asset that depends on <paramref name="key"/>, directly or not, in topological order (without the key).</summary>
    public IReadOnlyList<AssetKey> Downstream(AssetKey key) => Reach(key, Children);

    /// <summary>Orders any set of keys of this graph topologically.</summary>
    public IReadOnlyList<AssetKey> InTopologicalOrder(IEnumerable<AssetKey> keys) =>
        keys.Distinct().OrderBy(k => _position.TryGetValue(k, out var i) ? i : throw Unknown(k)).ToList();

    private IReadOnlyList<AssetKey> Reach(AssetKey key, Func<AssetKey, IReadOnlyList<AssetKey>> next)
    {
        var seen = new HashSet<AssetKey>();
        var pending = new Stack<AssetKey>(next(key));
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (!seen.Add(current)) continue;
            foreach (var n in next(current)) pending.Push(n);
        }
        return InTopologicalOrder(seen);
    }

    // Depth = longest path from a root; sorting by (depth, key) is a topological order that does not shift when unrelated assets are added.
    private static List<AssetKey> TopologicalOrder(Dictionary<AssetKey, IReadOnlyList<AssetKey>> parents)
    {
        var depth = new Dictionary<AssetKey, int>();
        int DepthOf(AssetKey root)
        {
            var stack = new Stack<AssetKey>([root]);
            while (stack.Count > 0)
            {
                var key = stack.Peek();
                if (depth.ContainsKey(key)) { stack.Pop(); continue; }
                var pending = parents[key].Where(p => !depth.ContainsKey(p)).ToList();
                if (pending.Count > 0) { pending.ForEach(stack.Push); continue; }
                depth[key] = parents[key].Count == 0 ? 0 : parents[key].Max(p => depth[p]) + 1;
                stack.Pop();
            }
            return depth[root];
        }
        return parents.Keys.OrderBy(DepthOf).ThenBy(k => k.Value, StringComparer.Ordinal).ToList();
    }

    private static KeyNotFoundException Unknown(AssetKey key) => new($"No asset {key} in the graph.");
}
