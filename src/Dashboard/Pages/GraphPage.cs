using System.Text;
using Lakehouse.Core.Assets;
using TmLakehouse.Dashboard.Web;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Dashboard.Pages;

/// <summary>The asset graph: one column per layer (Bronze, Silver, Gold, then the rest), edges for dependencies, nodes coloured by status.</summary>
internal static class GraphPage
{
    private static readonly string[] LayerOrder = ["bronze", "silver", "gold"];
    private const int ColumnWidth = 300, NodeWidth = 256, NodeHeight = 38, RowHeight = 58, Top = 36;

    public static async Task<IResult> RenderAsync(LakehouseRuntime runtime, CancellationToken ct)
    {
        var graph = runtime.Graph;
        var statuses = (await runtime.Instance.Events.GetAllStatusesAsync(ct)).ToLookup(s => s.Asset);
        var columns = graph.Assets.GroupBy(k => k.Prefix)
            .OrderBy(g => Array.IndexOf(LayerOrder, g.Key) is var i && i >= 0 ? i : LayerOrder.Length)
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        var position = new Dictionary<AssetKey, (double X, double Y)>();
        for (var c = 0; c < columns.Count; c++)
        {
            var row = 0;
            foreach (var key in columns[c]) position[key] = (10 + c * ColumnWidth, Top + row++ * RowHeight);
        }
        var width = Math.Max(1, columns.Count) * ColumnWidth + 60;
        var height = Top + Math.Max(1, columns.Count == 0 ? 1 : columns.Max(c => c.Count())) * RowHeight;

        var svg = new StringBuilder($"<svg id=\"asset-graph\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">");
        for (var c = 0; c < columns.Count; c++)
            svg.Append($"<text class=\"col\" x=\"{10 + c * ColumnWidth}\" y=\"18\">{Html.E(columns[c].Key)}</text>");
        foreach (var key in graph.Assets)
        foreach (var parent in graph.Parents(key))
        {
            var (px, py) = position[parent];
            var (cx, cy) = position[key];
            double y1 = py + NodeHeight / 2.0, y2 = cy + NodeHeight / 2.0;
            if (px == cx)
            {
                // Same layer (e.g. maintenance steps in sequence): loop out on the right side instead of crossing the node.
                double side = px + NodeWidth, bend = side + 18 + Math.Min(30, (cy - py) / 10);
                svg.Append($"<path class=\"edge\" d=\"M{side},{y1} C{bend},{y1} {bend},{y2} {side + 2},{y2}\" marker-end=\"url(#arrow)\"/>");
                continue;
            }
            double x1 = px + NodeWidth, x2 = cx, mid = (x1 + x2) / 2;
            svg.Append($"<path class=\"edge\" d=\"M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}\" marker-end=\"url(#arrow)\"/>");
        }
        svg.Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#9aa6b2\"/></marker></defs>");
        foreach (var key in graph.Assets)
        {
            var (x, y) = position[key];
            var status = AssetStatus.Summary(statuses[key]);
            svg.Append($"<a class=\"node\" href=\"/assets/{Html.PathOf(key.Value)}\" data-asset=\"{Html.E(key.Value)}\" data-status=\"{status}\">")
                .Append($"<title>{Html.E(key.Value)}: {status}</title>")
                .Append($"<rect x=\"{x}\" y=\"{y}\" width=\"{NodeWidth}\" height=\"{NodeHeight}\" rx=\"8\" fill=\"{Fill(status)}\"/>")
                .Append($"<text x=\"{x + 12}\" y=\"{y + 24}\">{Html.E(Shorten(key.Value))}</text></a>");
        }
        svg.Append("</svg>");

        var body = $"""
            <h1>Asset graph</h1>
            <p class="legend muted"><span><i class="s-materialized"></i>materialized</span><span><i class="s-failed"></i>failed</span><span><i class="s-running"></i>running</span><span><i class="s-never"></i>never materialized</span></p>
            <div class="card">{(graph.Assets.Count == 0 ? "<p class=\"muted\">No assets are defined.</p>" : svg.ToString())}</div>
            """;
        return Layout.Page("Assets", body);
    }

    // The graph only needs to be readable: long keys are cut, the full key is in the tooltip.
    private static string Shorten(string key) => key.Length <= 34 ? key : key[..33] + "…";

    public static string Fill(string status) => status switch
    {
        "materialized" or "succeeded" => "#1f9d55",
        "failed" => "#d64545",
        "running" or "queued" => "#e0a100",
        _ => "#9aa1a9",
    };
}
