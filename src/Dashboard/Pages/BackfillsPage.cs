using System.Globalization;
using System.Text;
using TmLakehouse.Dashboard.Web;
using TmLakehouse.Orchestrator.Backfills;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Dashboard.Pages;

/// <summary>Backfills: the list with each one's progress, and one backfill with its progress bar and runs (refreshing while it runs).</summary>
internal static class BackfillsPage
{
    public static async Task<IResult> ListAsync(LakehouseRuntime runtime, CancellationToken ct)
    {
        var body = new StringBuilder("<h1>Backfills</h1>").Append(RunsTabs.Nav("backfills"));
        body.Append("<p class=\"muted\">Start one with <code>tmlake backfill --select S --partitions 'course_id=*,ingest_date=2025-06-01..2025-06-30'</code> or <code>POST /api/backfills</code>.</p><div class=\"card\">");
        var backfills = await runtime.Instance.Backfills.ListAsync(null, 200, ct);
        if (backfills.Count == 0) body.Append("<p class=\"muted\">No backfills yet.</p>");
        else
        {
            body.Append("<table id=\"backfills\"><tr><th>Backfill</th><th>Status</th><th>Selection</th><th>Partitions</th><th>Progress</th><th>Created (UTC)</th></tr>");
            foreach (var backfill in backfills)
            {
                var view = await BackfillView.ReadAsync(runtime.Instance, backfill, withRuns: false, runtime.Clock, ct);
                body.Append($"<tr><td><a href=\"/backfills/{Html.Q(view.BackfillId)}\">{Html.E(view.BackfillId)}</a></td><td>{Html.Badge(view.Status)}</td>")
                    .Append($"<td><code>{Html.E(view.Selection)}</code></td><td><code>{Html.E(view.Partitions)}</code></td>")
                    .Append($"<td>{Bar(view.Progress)} {Html.E(view.Progress.Line())}</td><td>{Html.Time(view.CreatedAt)}</td></tr>");
            }
            body.Append("</table>");
        }
        body.Append("</div>");
        return Layout.Page("Backfills", body.ToString());
    }

    public static async Task<IResult> ShowAsync(string id, LakehouseRuntime runtime, CancellationToken ct)
    {
        var backfill = long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? await runtime.Instance.Backfills.GetAsync(number, ct) : null;
        if (backfill is null) return Layout.Error("Not found", $"There is no backfill '{id}'.", 404);
        var view = await BackfillView.ReadAsync(runtime.Instance, backfill, withRuns: true, runtime.Clock, ct);
        var p = view.Progress;
        var body = new StringBuilder($"<h1>Backfill {Html.E(view.BackfillId)} {Html.Badge(view.Status)}</h1><div class=\"card\">");
        body.Append($"<p><b>Selection</b> <code>{Html.E(view.Selection)}</code> · <b>Partitions</b> <code>{Html.E(view.Partitions)}</code> · ")
            .Append($"{(view.SingleRun ? "one run" : $"{view.PartitionsPerRun} per run")}, at most {view.MaxConcurrentRuns} at once · <b>Created</b> {Html.Time(view.CreatedAt)}")
            .Append(view.EndedAt is { } end ? $" · <b>Ended</b> {Html.Time(end)}" : "").Append("</p>");
        body.Append($"<p id=\"progress\" data-done=\"{p.Done}\" data-failed=\"{p.Failed}\" data-in-flight=\"{p.InFlight}\" data-total=\"{p.Total}\">{Bar(p)} {Html.E(p.Line())}</p>");
        body.Append("<table id=\"backfill-runs\"><tr><th>Run</th><th>Status</th><th>Partitions</th><th>First</th><th>Last</th><th>Error</th></tr>");
        foreach (var r in view.Runs!)
            body.Append($"<tr><td>{(r.RunId is null ? "-" : $"<a href=\"/runs/{Html.Q(r.RunId)}\">{Html.E(r.RunId)}</a>")}</td><td>{Html.Badge(r.Status)}</td>")
                .Append($"<td>{r.Partitions}</td><td>{Html.E(r.FirstPartition)}</td><td>{Html.E(r.LastPartition)}</td><td>{Html.E(r.Error)}</td></tr>");
        body.Append("</table>");
        if (p.Total > view.Runs.Sum(r => r.Partitions)) body.Append($"<p class=\"muted\">The first {BackfillView.RunsShown} runs are shown.</p>");
        body.Append("</div>");
        return Layout.Page($"Backfill {view.BackfillId}", body.ToString(), refresh: view.Status == "requested");
    }

    private static string Bar(BackfillProgressView p)
    {
        var max = Math.Max(1, p.Total);
        return $"<progress max=\"{max}\" value=\"{p.Done}\" title=\"{p.Done}/{p.Total} done\"></progress>";
    }
}
