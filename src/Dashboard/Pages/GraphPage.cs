using System.Text;
using Lakehouse.Core.Assets;
using TmLakehouse.Dashboard.Web;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Dashboard.Pages;

/// <summary>
/// The asset graph laid out in layers: an asset sits one column right of its deepest parent, so every edge points right (none
/// loops back). Each node shows its partition counts, last materialization and stale/failed markers; a search dims the assets that do not match;
/// the corner button of a node picks it for the Materialize form below.
/// </summary>
internal static class GraphPage
{
    private const int ColumnWidth = 300, NodeWidth = 264, NodeHeight = 58, RowHeight = 74, Top = 16;

    public static async Task<IResult> RenderAsync(HttpContext http, LakehouseRuntime runtime, CancellationToken ct)
    {
        var graph = runtime.Graph;
        var query = http.Request.Query["q"].ToString().Trim();
        var selection = PickedAssets.Read(http.Request);
        bool Matches(AssetKey key) => query.Length == 0 || key.Value.Contains(query, StringComparison.OrdinalIgnoreCase)
                                      || graph.Spec(key).Description.Contains(query, StringComparison.OrdinalIgnoreCase);
        var summaries = (await AssetSummary.ReadAllAsync(graph, runtime.Instance.Events, ct)).ToDictionary(s => s.Key);
        var depth = Depths(graph);
        var columns = graph.Assets.GroupBy(k => depth[k]).OrderBy(g => g.Key)
            .Select(g => g.OrderBy(k => summaries[k].Group, StringComparer.Ordinal).ThenBy(k => k.Value, StringComparer.Ordinal).ToList()).ToList();
        var position = new Dictionary<AssetKey, (double X, double Y)>();
        for (var c = 0; c < columns.Count; c++)
        for (var r = 0; r < columns[c].Count; r++)
            position[columns[c][r]] = (10 + c * ColumnWidth, Top + r * RowHeight);
        var width = Math.Max(1, columns.Count) * ColumnWidth + 20;
        var height = Top + Math.Max(1, columns.Count == 0 ? 1 : columns.Max(c => c.Count)) * RowHeight;

        var svg = new StringBuilder($"<svg id=\"asset-graph\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">");
        svg.Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#9aa6b2\"/></marker></defs>");
        foreach (var key in graph.Assets)
        foreach (var parent in graph.Parents(key))
        {
            var (px, py) = position[parent];
            var (cx, cy) = position[key];
            double x1 = px + NodeWidth, y1 = py + NodeHeight / 2.0, x2 = cx, y2 = cy + NodeHeight / 2.0, mid = (x1 + x2) / 2;
            svg.Append($"<path class=\"edge\" data-from=\"{Html.E(parent.Value)}\" data-to=\"{Html.E(key.Value)}\" d=\"M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}\" marker-end=\"url(#arrow)\"/>");
        }
        foreach (var key in graph.Assets)
        {
            var (x, y) = position[key];
            var s = summaries[key];
            var markers = (s.Stale ? " · stale" : "") + (s.FailedChecks > 0 ? $" · {s.FailedChecks} failed check(s)" : "");
            var picked = selection.Contains(key.Value);
            svg.Append($"<a class=\"node{(Matches(key) ? "" : " dim")}\" href=\"/assets/{Html.PathOf(key.Value)}\" data-asset=\"{Html.E(key.Value)}\" data-status=\"{s.Status}\" data-column=\"{depth[key]}\" data-stale=\"{(s.Stale ? "true" : "false")}\">")
                .Append($"<title>{Html.E(key.Value)}: {Html.E(s.CountsText)}{Html.E(markers)}</title>")
                .Append($"<rect x=\"{x}\" y=\"{y}\" width=\"{NodeWidth}\" height=\"{NodeHeight}\" rx=\"8\" fill=\"{Fill(s.Status)}\"{(s.Stale ? " stroke-dasharray=\"5 3\" class=\"stale\"" : "")}/>")
                .Append($"<text x=\"{x + 10}\" y=\"{y + 18}\">{Html.E(Shorten(key.Value, 38))}</text>")
                .Append($"<text class=\"sub\" x=\"{x + 10}\" y=\"{y + 34}\">{Html.E(Shorten(s.CountsText, 44))}</text>")
                .Append($"<text class=\"sub\" x=\"{x + 10}\" y=\"{y + 50}\">{(s.LastMaterializedAt is null ? "not materialized" : "last " + Html.Time(s.LastMaterializedAt))}{Html.E(markers.Length > 0 ? markers : "")}</text></a>");
            // Picking is a link that toggles the asset in the page's selection, so it works without script and survives sign-in.
            svg.Append($"<a class=\"pick{(picked ? " picked" : "")}\" data-pick=\"{Html.E(key.Value)}\" href=\"{Html.E(PickedAssets.Url("/", http.Request.Query, PickedAssets.Toggle(selection, key.Value)))}\">")
                .Append($"<title>{(picked ? "unpick" : "pick")} {Html.E(key.Value)} to materialize</title>")
                .Append($"<circle cx=\"{x + NodeWidth - 14}\" cy=\"{y + 14}\" r=\"9\"/><text x=\"{x + NodeWidth - 14}\" y=\"{y + 18}\" text-anchor=\"middle\">{(picked ? "✓" : "+")}</text></a>");
        }
        svg.Append("</svg>");

        var picker = new StringBuilder($"<form method=\"post\" action=\"/actions/materialize\" id=\"graph-materialize\">{Forms.Token(http)}{PickedAssets.FromInput(http.Request)}<input type=\"hidden\" name=\"mode\" value=\"all\">")
            .Append($"<details{(selection.Count > 0 ? " open" : "")}><summary>Materialize a selection <span id=\"picked-count\">({selection.Count} picked)</span></summary><div class=\"checks\">");
        foreach (var key in graph.InTopologicalOrder(graph.Assets))
            picker.Append($"<label><input type=\"checkbox\" name=\"asset\" value=\"{Html.E(key.Value)}\"{(selection.Contains(key.Value) ? " checked" : "")}> {Html.E(key.Value)}</label>");
        picker.Append("</div><p><button>Materialize selected (all partitions)</button></p></details></form>");

        var matching = graph.Assets.Where(Matches).Select(k => k.Value).ToList();
        var search = new StringBuilder($"<form class=\"filters\" method=\"get\" action=\"/\" id=\"graph-search\"><label>Search<input type=\"text\" name=\"q\" value=\"{Html.E(query)}\" placeholder=\"key or description\"></label>");
        foreach (var picked in selection.Order(StringComparer.Ordinal)) search.Append($"<input type=\"hidden\" name=\"{PickedAssets.Parameter}\" value=\"{Html.E(picked)}\">");
        search.Append("<button>Search</button></form>");
        if (query.Length > 0)
            search.Append($"<p id=\"graph-matches\" class=\"muted\">{matching.Count} of {graph.Assets.Count} assets match · <a id=\"pick-matching\" href=\"{Html.E(PickedAssets.Url("/", http.Request.Query, selection.Union(matching)))}\">pick the {matching.Count} matching</a> · <a href=\"{Html.E(PickedAssets.Url("/", new QueryCollection(), selection))}\">clear search</a></p>");

        var body = $"""
            <h1>Asset graph</h1>
            <p class="legend muted"><span><i class="s-materialized"></i>materialized</span><span><i class="s-failed"></i>failed</span><span><i class="s-running"></i>running</span><span><i class="s-never"></i>never materialized</span><span>dashed: stale (an upstream asset is newer)</span> · <a href="/catalog">search the catalog</a></p>
            {search}
            <div class="card">{(graph.Assets.Count == 0 ? "<p class=\"muted\">No assets are defined.</p>" : svg.ToString())}</div>
            <div class="card">{picker}</div>
            """;
        return Layout.Page("Assets", body);
    }

    /// <summary>The longest path from a root to each asset: its column.</summary>
    public static IReadOnlyDictionary<AssetKey, int> Depths(AssetGraph graph)
    {
        var depth = new Dictionary<AssetKey, int>();
        foreach (var key in graph.InTopologicalOrder(graph.Assets))
            depth[key] = graph.Parents(key).Count == 0 ? 0 : graph.Parents(key).Max(p => depth[p]) + 1;
        return depth;
    }

    // The full key is in the tooltip; the node only needs to be told apart.
    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    public static string Fill(string status) => status switch
    {
        "materialized" or "succeeded" => "#1f9d55",
        "failed" => "#d64545",
        "running" or "queued" => "#e0a100",
        _ => "#9aa1a9",
    };
}
