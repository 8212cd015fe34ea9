using System.Text;
using System.Text.Json;
using Lakehouse.Core.Objects;
using TmLakehouse.Dashboard.Web;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Dashboard.Pages;

/// <summary>Quarantine reports grouped by layer, course and ingest date with reason counts; one report with samples and its rows file.</summary>
internal static class QuarantinePages
{
    public static async Task<IResult> ListAsync(LakehouseRuntime runtime, CancellationToken ct)
    {
        var reports = await QuarantineReports.ReadAllAsync(runtime.Resources.Objects, ct);
        var body = new StringBuilder("<h1>Quarantine</h1>");
        var rates = reports.GroupBy(r => QuarantineReports.Dimension(r.Report, "course_id")).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, In: g.Sum(r => r.Report.RowsIn), Out: g.Sum(r => r.Report.RowsQuarantined)))
            .Select(g => (g.Key, g.In == 0 ? 0.0 : (double)g.Out / g.In, $"{g.Out:#,0} of {g.In:#,0} rows quarantined")).ToList();
        body.Append("<h2>Quarantine rate per course</h2><div class=\"card\">").Append(Charts.Rates(rates, "quarantine rate per course")).Append("</div>");
        body.Append("<h2>Reports</h2><div class=\"card\">");
        if (reports.Count == 0) body.Append("<p class=\"muted\">No quarantine reports.</p>");
        else
        {
            body.Append("<table id=\"quarantine\"><tr><th>Layer</th><th>Course</th><th>Ingest date</th><th>Asset</th><th>Rows in</th><th>Quarantined</th><th>Reasons</th><th>Outcome</th><th>Created (UTC)</th></tr>");
            foreach (var group in reports.GroupBy(r => (r.Report.Layer, Course: QuarantineReports.Dimension(r.Report, "course_id"), Date: QuarantineReports.Dimension(r.Report, "ingest_date")))
                         .OrderBy(g => g.Key.Layer).ThenBy(g => g.Key.Course).ThenByDescending(g => g.Key.Date))
            foreach (var (key, r) in group)
                body.Append($"<tr><td>{Html.E(r.Layer)}</td><td>{Html.E(group.Key.Course)}</td><td>{Html.E(group.Key.Date)}</td><td>{Html.E(r.Asset)}</td>")
                    .Append($"<td>{Html.Number(r.RowsIn)}</td><td><a href=\"/quarantine/{QuarantineIds.Of(key)}\">{Html.Number(r.RowsQuarantined)}</a></td>")
                    .Append($"<td>{Html.E(string.Join(", ", r.ReasonCounts.OrderByDescending(c => c.Value).Select(c => $"{c.Key}: {c.Value:#,0}")))}</td>")
                    .Append($"<td>{(r.StepFailed ? "<span class=\"badge s-failed\">step failed</span>" : "<span class=\"muted\">rows set aside</span>")}</td><td>{Html.Time(r.CreatedAt)}</td></tr>");
            body.Append("</table>");
        }
        return Layout.Page("Quarantine", body.Append("</div>").ToString());
    }

    /// <summary>One report with its sample rows: data, so it needs the key's login when a key is set.</summary>
    public static async Task<IResult> ReportAsync(HttpContext http, LakehouseRuntime runtime, string id, CancellationToken ct)
    {
        if (Forms.RequireSignIn(http) is { } signIn) return signIn;
        if (await QuarantineReports.FindAsync(runtime.Resources.Objects, id, ct) is not { } found)
            return Layout.Error("Unknown report", "There is no such quarantine report.", 404);
        var (key, r) = found;
        var body = new StringBuilder($"<h1>Quarantine report</h1><div class=\"card\"><table>");
        body.Append($"<tr><th>Report</th><td><code>{Html.E(key)}</code></td></tr><tr><th>Asset</th><td><a href=\"/assets/{Html.PathOf(r.Asset)}\">{Html.E(r.Asset)}</a> (step {Html.E(r.Step)})</td></tr>");
        body.Append($"<tr><th>Run</th><td><a href=\"/runs/{Html.Q(r.RunId)}\">{Html.E(r.RunId)}</a></td></tr>");
        body.Append($"<tr><th>Partition</th><td>{Html.E(string.Join(", ", r.Partition.Select(p => $"{p.Key}={p.Value}")))}</td></tr>");
        body.Append($"<tr><th>Rows</th><td>{Html.Number(r.RowsQuarantined)} of {Html.Number(r.RowsIn)} quarantined{(r.StepFailed ? " · <b>the step failed</b>" : "")}</td></tr>");
        if (r.Error is not null) body.Append($"<tr><th>Error</th><td class=\"error\">{Html.E(r.Error)}</td></tr>");
        body.Append($"<tr><th>Inputs</th><td>{string.Join("<br>", r.InputPaths.Select(p => $"<code>{Html.E(p)}</code>"))}</td></tr>");
        body.Append($"<tr><th>Reasons</th><td>{string.Join("<br>", r.ReasonCounts.OrderByDescending(c => c.Value).Select(c => $"{Html.E(c.Key)}: {Html.Number(c.Value)}"))}</td></tr>");
        body.Append($"<tr><th>Thresholds</th><td>{Html.E(string.Join(", ", r.Thresholds.Select(t => $"{t.Key}={t.Value}")))}</td></tr>");
        if (r.RowsFile is not null) body.Append($"<tr><th>Rejected rows</th><td><a href=\"/quarantine/{id}/rows.parquet\">Download Parquet</a></td></tr>");
        body.Append("</table></div><h2>Sample rows</h2><div class=\"card\">");
        if (r.SampleRows.Count == 0) body.Append("<p class=\"muted\">No sample rows.</p>");
        else
        {
            var columns = r.SampleRows.SelectMany(row => row.Keys).Distinct().ToList();
            body.Append("<table><tr>").Append(string.Concat(columns.Select(c => $"<th>{Html.E(c)}</th>"))).Append("</tr>");
            foreach (var row in r.SampleRows)
                body.Append("<tr>").Append(string.Concat(columns.Select(c => $"<td>{Html.E(row.TryGetValue(c, out var v) ? Cell(v) : "")}</td>"))).Append("</tr>");
            body.Append("</table>");
        }
        return Layout.Page("Quarantine report", body.Append("</div>").ToString());
    }

    /// <summary>Streams the rejected rows Parquet from the quarantine bucket (with the key's login or bearer token when a key is set).</summary>
    public static async Task<IResult> RowsAsync(HttpContext http, LakehouseRuntime runtime, string id, CancellationToken ct)
    {
        if (!http.RequestServices.GetRequiredService<Hosting.ApiKeyCheck>().DataReadAllows(http))
            return Results.Text("This server requires the API key to read data: sign in at /login or send 'Authorization: Bearer <TM_API_KEY>'.", statusCode: 401);
        if (await QuarantineReports.FindAsync(runtime.Resources.Objects, id, ct) is not { Report.RowsFile: not null } found)
            return Results.NotFound();
        var r = found.Report;
        var stream = await runtime.Resources.Objects.For(Layers.Quarantine).OpenReadAsync(r.RowsFile!, ct);
        return Results.Stream(stream, "application/vnd.apache.parquet", $"quarantine-{r.RunId}.parquet");
    }

    private static string Cell(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : value.GetRawText();
}
