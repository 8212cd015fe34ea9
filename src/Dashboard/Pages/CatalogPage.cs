using System.Text;
using TmLakehouse.Dashboard.Web;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Dashboard.Pages;

/// <summary>The asset catalog: every asset as a row, searchable by key or description and filtered by group, kind, status and failed checks; materialize a selection.</summary>
internal static class CatalogPage
{
    public static async Task<IResult> RenderAsync(HttpContext http, LakehouseRuntime runtime, string? q, string? group, string? kind, string? status, bool failedChecks, CancellationToken ct)
    {
        var selection = PickedAssets.Read(http.Request);
        var all = await AssetSummary.ReadAllAsync(runtime.Graph, runtime.Instance.Events, ct);
        var shown = all.Where(a => string.IsNullOrWhiteSpace(q)
                                   || a.Key.Value.Contains(q.Trim(), StringComparison.OrdinalIgnoreCase)
                                   || runtime.Graph.Spec(a.Key).Description.Contains(q.Trim(), StringComparison.OrdinalIgnoreCase))
            .Where(a => string.IsNullOrEmpty(group) || a.Group == group)
            .Where(a => string.IsNullOrEmpty(kind) || a.Kind == kind)
            .Where(a => string.IsNullOrEmpty(status) || (status == "stale" ? a.Stale : a.Status == status))
            .Where(a => !failedChecks || a.FailedChecks > 0)
            .ToList();

        var body = new StringBuilder($"<h1>Asset catalog</h1><p class=\"muted\">{shown.Count} of {all.Count} assets · <a href=\"/\">graph</a></p>");
        body.Append($"<form class=\"filters\" method=\"get\" id=\"catalog-filters\"><label>Search<input type=\"text\" name=\"q\" value=\"{Html.E(q)}\" placeholder=\"key or description\"></label>");
        body.Append(Select("group", group, all.Select(a => a.Group))).Append(Select("kind", kind, all.Select(a => a.Kind)));
        body.Append(Select("status", status, ["materialized", "failed", "running", "canceled", AssetStatus.Never, "stale"]));
        body.Append($"<label>Checks<span><input type=\"checkbox\" name=\"failedChecks\" value=\"true\"{(failedChecks ? " checked" : "")}> has failed checks</span></label><button>Filter</button></form>");

        body.Append($"<form method=\"post\" action=\"/actions/materialize\" id=\"catalog-materialize\">{Forms.Token(http)}{PickedAssets.FromInput(http.Request)}<input type=\"hidden\" name=\"mode\" value=\"all\"><div class=\"card\">");
        if (shown.Count == 0) body.Append("<p class=\"muted\">No asset matches.</p>");
        else
        {
            body.Append("<table id=\"catalog\"><tr><th></th><th>Asset</th><th>Group</th><th>Kind</th><th>Status</th><th>Partitions</th><th>Last materialized (UTC)</th><th>Failed checks</th></tr>");
            foreach (var a in shown)
                body.Append($"<tr data-asset=\"{Html.E(a.Key.Value)}\" data-status=\"{a.Status}\"><td><input type=\"checkbox\" name=\"asset\" value=\"{Html.E(a.Key.Value)}\"{(selection.Contains(a.Key.Value) ? " checked" : "")} aria-label=\"select {Html.E(a.Key.Value)}\"></td>")
                    .Append($"<td><a href=\"/assets/{Html.PathOf(a.Key.Value)}\">{Html.E(a.Key.Value)}</a><br><span class=\"muted\">{Html.E(Short(runtime.Graph.Spec(a.Key).Description))}</span></td>")
                    .Append($"<td>{Html.E(a.Group)}</td><td>{Html.E(a.Kind)}</td><td>{Html.Badge(a.Status)}{(a.Stale ? " <span class=\"badge s-warning\">stale</span>" : "")}</td>")
                    .Append($"<td>{Html.E(a.CountsText)}</td><td>{Html.Time(a.LastMaterializedAt)}</td><td data-failed-checks=\"{a.FailedChecks}\">{(a.FailedChecks == 0 ? "-" : $"<span class=\"badge s-failed\">{a.FailedChecks}</span>")}</td></tr>");
            body.Append("</table><p><button>Materialize selected (all partitions)</button></p>");
        }
        body.Append("</div></form>");
        return Layout.Page("Asset catalog", body.ToString());
    }

    private static string Select(string name, string? chosen, IEnumerable<string> values)
    {
        var html = new StringBuilder($"<label>{char.ToUpperInvariant(name[0])}{name[1..]}<select name=\"{name}\"><option value=\"\">any</option>");
        foreach (var v in values.Distinct().Order(StringComparer.Ordinal))
            html.Append($"<option{(v == chosen ? " selected" : "")}>{Html.E(v)}</option>");
        return html.Append("</select></label>").ToString();
    }

    private static string Short(string text) => text.Length <= 120 ? text : text[..119] + "…";
}
