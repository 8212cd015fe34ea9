using System.Text;
using Lakehouse.Core.Assets;
using TmLakehouse.Dashboard.Web;
using TmLakehouse.Orchestrator.Automation;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Dashboard.Pages;

/// <summary>The asset page's automation card: the condition, on/off, and why each partition was or was not requested (requested first).</summary>
internal static class AutomationSection
{
    private const int MaxRows = 500;

    public static async Task<string> RenderAsync(LakehouseRuntime runtime, AssetKey key, CancellationToken ct)
    {
        var view = await AutomationView.ReadAsync(runtime.Automation, runtime.Instance, key, ct);
        var html = new StringBuilder("<h2>Automation</h2><div class=\"card\" id=\"automation\">");
        if (view.Condition is null) return html.Append("<p class=\"muted\">No automation condition: materialized only when asked.</p></div>").ToString();
        html.Append($"<p><b>Condition</b> {Html.E(view.Condition)} · <b>State</b> {(view.Enabled ? "on" : "off")} · <b>Last tick</b> {(view.EvaluatedAt is { } at ? Html.Time(at) : "never")}</p>");
        if (view.Partitions.Count == 0) return html.Append("<p class=\"muted\">No decisions yet.</p></div>").ToString();
        html.Append("<table id=\"automation-decisions\"><tr><th>Partition</th><th>Requested</th><th>Why</th><th>Run</th><th>Since (UTC)</th></tr>");
        foreach (var d in view.Partitions.OrderByDescending(p => p.Requested).Take(MaxRows))
            html.Append($"<tr><td>{Html.E(d.Partition ?? "-")}</td><td>{(d.Requested ? "yes" : "no")}</td><td>{Html.E(d.Reason)}</td>" +
                        $"<td>{(d.RunId is null ? "-" : $"<a href=\"/runs/{Html.Q(d.RunId)}\">{Html.E(d.RunId)}</a>")}</td><td>{Html.Time(d.DecidedAt)}</td></tr>");
        html.Append("</table>");
        if (view.Partitions.Count > MaxRows) html.Append($"<p class=\"muted\">{MaxRows} of {view.Partitions.Count} partitions shown; `tmlake automation show {Html.E(key.Value)} --json` lists all.</p>");
        return html.Append("</div>").ToString();
    }
}
