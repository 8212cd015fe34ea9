namespace Lakehouse.Core.Assets;

/// <summary>The validated dependency graph of every asset, built once, with a stable topological order.</summary>
public sealed class AssetGraph
{
    private readonly Dictionary<AssetKey, AssetDefinition> _definitions;
    private readonly Dictionary<AssetKey, IReadOnlyList<AssetKey>> _parents;
    private readonly Dictionary<AssetKey, IReadOnlyList<AssetKey>> _children;
    private readonly Dictionary<AssetKey, int> _position;

    private AssetGraph(Dictionary<AssetKey, AssetDefinition> definitions, Dictionary<AssetKey, IReadOnlyList<AssetKey>> parents)
    {
        _definitions = definitions;
        _parents = parents;
        Assets = TopologicalOrder(parents);
        _position = Assets.Select((key, i) => (key, i)).ToDictionary(p => p.key, p => p.i);
        _children = Assets.ToDictionary(k => k, _ => (IReadOnlyList<AssetKey>)new List<AssetKey>());
        foreach (var key in Assets)
        foreach (var parent in parents[key])
            ((List<AssetKey>)_children[parent]).Add(key);
        Groups = Assets.GroupBy(k => definitions[k].Spec.EffectiveGroup)
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
        foreach (var group in definitions.GroupBy(d => d.Key))
        {
            if (group.Count() > 1) problems.Add($"Asset {group.Key} is defined {group.Count()} times.");
            byKey[group.Key] = group.First();
        }

        var parents = new Dictionary<AssetKey, IReadOnlyList<AssetKey>>();
        foreach (var (key, definition) in byKey)
        {
            if (!AssetSelectionTerm.IsName(definition.Spec.EffectiveGroup))
                problems.Add($"Asset {key} is in group '{definition.Spec.EffectiveGroup}', which a selection cannot name: use letters, digits, '_', '-' or '.'.");
            var known = new List<AssetKey>();
            foreach (var dependency in definition.Spec.Deps)
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
                if (PartitionAlignment.Problem(definition.Spec, dependency, upstream.Spec) is { } mismatch) problems.Add(mismatch);
            }
            parents[key] = known;
        }

        foreach (var cycle in DependencyCycles.Find(parents))
            problems.Add($"Dependency cycle {string.Join(" -> ", cycle)} (each asset depends on the next).");

        if (problems.Count > 0) throw new AssetGraphException(problems);
        return new AssetGraph(byKey, parents);
    }

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
