using System.Text;
using TmLakehouse.Dashboard.Web;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Dashboard.Pages;

/// <summary>Schedules: cron, selection, on/off toggle, next tick and the last ticks with the runs they launched.</summary>
internal static class SchedulesPage
{
    public static async Task<IResult> RenderAsync(HttpContext http, LakehouseRuntime runtime, CancellationToken ct)
    {
        var runner = runtime.Schedules;
        var body = new StringBuilder("<h1>Schedules</h1>");
        body.Append("<p class=\"muted\">Ticks run as Hangfire recurring jobs in UTC. After downtime a schedule fires once, for its most recent missed tick; older missed ticks need a backfill.</p>");
        if (runner.Catalog.All.Count == 0) body.Append("<div class=\"card\"><p class=\"muted\">No schedules are defined.</p></div>");
        foreach (var schedule in runner.Catalog.All)
        {
            var enabled = await runner.IsEnabledAsync(schedule, ct);
            var ticks = await runtime.Instance.Scheduling.GetTicksAsync(schedule.Name, 10, ct);
            body.Append($"<div class=\"card\" data-schedule=\"{Html.E(schedule.Name)}\"><h2 style=\"margin-top:0\">{Html.E(schedule.Name)} {Html.Badge(enabled ? "on" : "off")}</h2>");
            body.Append($"<p><b>Cron (UTC)</b> <code>{Html.E(schedule.Cron)}</code> · <b>Selection</b> <code>{Html.E(schedule.Selection)}</code> · <b>Next tick</b> {Html.Time(enabled ? runner.NextTick(schedule) : null)}</p>");
            body.Append($"<form method=\"post\" action=\"/actions/schedules/{Html.Q(schedule.Name)}\">{Forms.Token(http)}<input type=\"hidden\" name=\"enabled\" value=\"{(enabled ? "false" : "true")}\">")
                .Append(enabled ? "<button class=\"secondary\">Turn off</button>" : "<button>Turn on</button>").Append("</form>");
            if (ticks.Count == 0) body.Append("<p class=\"muted\">No ticks yet.</p>");
            else
            {
                body.Append("<table><tr><th>Tick (UTC)</th><th>Result</th><th>Runs</th><th>Reason</th></tr>");
                foreach (var t in ticks)
                    body.Append($"<tr><td>{Html.Time(t.Timestamp)}</td><td>{Html.Badge(t.Status)}</td><td>{string.Join(" ", t.RunIds.Select(id => $"<a href=\"/runs/{Html.Q(id)}\">{Html.E(id)}</a>"))}</td><td>{Html.E(t.Error)}</td></tr>");
                body.Append("</table>");
            }
            body.Append("</div>");
        }
        return Layout.Page("Schedules", body.ToString());
    }
}
