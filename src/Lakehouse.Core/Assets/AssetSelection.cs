namespace Lakehouse.Core.Assets;

/// <summary>
/// A parsed asset selection: comma-separated terms, each a key (<c>silver/dim_course</c>), a glob (<c>silver/*</c>) or a group
/// (<c>group:gold</c>), with <c>+</c> before for everything upstream and after for everything downstream.
/// </summary>
public sealed class AssetSelection
{
    private readonly IReadOnlyList<AssetSelectionTerm> _terms;

    private AssetSelection(string text, IReadOnlyList<AssetSelectionTerm> terms)
    {
        Text = text;
        _terms = terms;
    }

    /// <summary>The selection as the user wrote it.</summary>
    public string Text { get; }

    /// <summary>Reads a selection, or throws <see cref="AssetSelectionException"/> naming the term it cannot read.</summary>
    public static AssetSelection Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new AssetSelectionException("The asset selection is empty: name at least one asset, pattern or group:<name>.");
        var terms = new List<AssetSelectionTerm>();
        foreach (var term in text.Split(','))
        {
            if (string.IsNullOrWhiteSpace(term))
                throw new AssetSelectionException($"The asset selection '{text}' has an empty term: remove the extra ','.");
            terms.Add(AssetSelectionTerm.Parse(term, text));
        }
        return new AssetSelection(text, terms);
    }

    /// <summary>The selected keys in the graph's topological order, or <see cref="AssetSelectionException"/> naming every term that selects nothing.</summary>
    public IReadOnlyList<AssetKey> Resolve(AssetGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var selected = new HashSet<AssetKey>();
        var problems = new List<string>();
        foreach (var term in _terms)
        {
            var matched = Match(term, graph, problems);
            foreach (var key in matched)
            {
                selected.Add(key);
                if (term.WithUpstream) selected.UnionWith(graph.Upstream(key));
                if (term.WithDownstream) selected.UnionWith(graph.Downstream(key));
            }
        }
        if (problems.Count > 0)
            throw new AssetSelectionException(problems.Count == 1
                ? $"Asset selection '{Text}': {problems[0]}"
                : $"Asset selection '{Text}': {string.Join(" ", problems)}");
        return graph.InTopologicalOrder(selected);
    }

    public override string ToString() => string.Join(",", _terms);

    private static IReadOnlyList<AssetKey> Match(AssetSelectionTerm term, AssetGraph graph, List<string> problems)
    {
        var keyNames = graph.Assets.Select(k => k.Value).ToList();
        switch (term.Kind)
        {
            case AssetSelectionTerm.TermKind.Key:
                var key = new AssetKey(term.Name);
                if (graph.Contains(key)) return [key];
                problems.Add($"no asset '{term.Name}'.{CloseMatches.Hint(term.Name, keyNames)}");
                return [];
            case AssetSelectionTerm.TermKind.Group:
                if (graph.Groups.TryGetValue(term.Name, out var members)) return members;
                problems.Add($"no group '{term.Name}' (groups: {string.Join(", ", graph.Groups.Keys)}).{CloseMatches.Hint(term.Name, graph.Groups.Keys)}");
                return [];
            default:
                var hits = graph.Assets.Where(term.Matches).ToList();
                if (hits.Count > 0) return hits;
                problems.Add($"pattern '{term.Name}' matches no asset.{CloseMatches.Hint(term.Name, PatternCandidates(graph).Concat(keyNames))}");
                return [];
        }
    }

    // Every "prefix/*" the graph could answer, so that a misspelt layer in a pattern gets a pattern back as the hint.
    private static IEnumerable<string> PatternCandidates(AssetGraph graph) =>
        graph.Assets
            .SelectMany(k => Enumerable.Range(1, k.Parts.Count - 1).Select(n => string.Join('/', k.Parts.Take(n)) + "/*"))
            .Distinct(StringComparer.Ordinal);
}
