using System.Text;
using TmLakehouse.Dashboard.Web;
using TmLakehouse.Orchestrator.Hosting;
using TmLakehouse.Orchestrator.Sensors;

namespace TmLakehouse.Dashboard.Pages;

/// <summary>Sensors: on/off toggle, minimum interval, cursor and the latest ticks with the runs they launched, what they skipped and why.</summary>
internal static class SensorsPage
{
    private const int Ticks = 20;

    public static async Task<IResult> RenderAsync(HttpContext http, LakehouseRuntime runtime, CancellationToken ct)
    {
        var runner = runtime.Sensors;
        var body = new StringBuilder("<h1>Sensors</h1>");
        body.Append("<p class=\"muted\">Sensors tick as Hangfire recurring jobs in `tmlake serve` and every `tmlake worker`, one evaluation at a time across them; a run key launches once.</p>");
        if (runner.Catalog.All.Count == 0) body.Append("<div class=\"card\"><p class=\"muted\">No sensors are defined.</p></div>");
        foreach (var sensor in runner.Catalog.All)
        {
            var view = await SensorView.ReadAsync(runner, runtime.Instance, sensor, Ticks, ct);
            body.Append($"<div class=\"card\" data-sensor=\"{Html.E(view.Name)}\"><h2 style=\"margin-top:0\">{Html.E(view.Name)} {Html.Badge(view.Enabled ? "on" : "off")}</h2>");
            if (view.Description.Length > 0) body.Append($"<p>{Html.E(view.Description)}</p>");
            body.Append($"<p><b>Every</b> {view.MinimumIntervalSeconds:0.###} s · <b>Cursor</b> <code class=\"cursor\">{Html.E(view.Cursor ?? "(none)")}</code></p>");
            body.Append($"<form method=\"post\" action=\"/actions/sensors/{Html.Q(view.Name)}\">{Forms.Token(http)}<input type=\"hidden\" name=\"enabled\" value=\"{(view.Enabled ? "false" : "true")}\">")
                .Append(view.Enabled ? "<button class=\"secondary\">Turn off</button>" : "<button>Turn on</button>").Append("</form>");
            if (view.Ticks.Count == 0) body.Append("<p class=\"muted\">No ticks yet.</p>");
            else
            {
                body.Append("<table class=\"ticks\"><tr><th>Tick (UTC)</th><th>Result</th><th>ms</th><th>Runs</th><th>Skipped</th><th>Reason</th></tr>");
                foreach (var t in view.Ticks)
                    body.Append($"<tr><td>{Html.Time(t.StartedAt)}</td><td>{Html.Badge(t.Status)}</td><td>{t.DurationMs}</td>")
                        .Append($"<td>{string.Join(" ", t.RunIds.Select(id => $"<a href=\"/runs/{Html.Q(id)}\">{Html.E(id)}</a>"))}</td>")
                        .Append($"<td>{(t.Skipped == 0 ? "" : $"<details><summary>{t.Skipped}</summary>{string.Join("<br>", t.Skips.Select(Html.E))}{(t.Skipped > t.Skips.Count ? $"<br>… {t.Skipped - t.Skips.Count} more" : "")}</details>")}</td>")
                        .Append($"<td>{Html.E(t.Reason)}</td></tr>");
                body.Append("</table>");
            }
            body.Append("</div>");
        }
        return Layout.Page("Sensors", body.ToString());
    }
}
