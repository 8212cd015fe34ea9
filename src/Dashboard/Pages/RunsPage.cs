using System.Text;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Partitions;
using TmLakehouse.Dashboard.Web;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Dashboard.Pages;

/// <summary>Recent runs, newest first, filterable by status, asset and partition.</summary>
internal static class RunsPage
{
    public static async Task<IResult> RenderAsync(LakehouseRuntime runtime, string? status, string? asset, string? partition, CancellationToken ct)
    {
        RunStatus? statusFilter = null;
        if (!string.IsNullOrEmpty(status))
            statusFilter = Enum.TryParse<RunStatus>(status, true, out var parsed) ? parsed : null;
        AssetKey? assetFilter = !string.IsNullOrWhiteSpace(asset) && AssetPage.TryKey(asset, out var key) ? key : null;
        var runs = await runtime.Instance.Runs.ListRunsAsync(new RunQuery
        {
            Status = statusFilter,
            Asset = assetFilter is null ? null : runtime.Graph.StepAssetOrSelf(assetFilter),
            Partition = string.IsNullOrWhiteSpace(partition) ? null : new PartitionKey(partition.Trim()),
            Limit = 200,
        }, ct);

        var body = new StringBuilder("<h1>Runs</h1><form class=\"filters\" method=\"get\">");
        body.Append("<label>Status<select name=\"status\"><option value=\"\">any</option>");
        foreach (var s in Enum.GetValues<RunStatus>())
            body.Append($"<option value=\"{Html.Lower(s)}\"{(statusFilter == s ? " selected" : "")}>{Html.Lower(s)}</option>");
        body.Append("</select></label>");
        body.Append($"<label>Asset<input type=\"text\" name=\"asset\" value=\"{Html.E(asset)}\" placeholder=\"silver/fact_telemetry_event\"></label>");
        body.Append($"<label>Partition<input type=\"text\" name=\"partition\" value=\"{Html.E(partition)}\"></label>");
        body.Append("<button>Filter</button></form><div class=\"card\">");
        if (runs.Count == 0) body.Append("<p class=\"muted\">No runs match.</p>");
        else
        {
            body.Append("<table id=\"runs\"><tr><th>Run</th><th>Status</th><th>Selection</th><th>Partitions</th><th>Tags</th><th>Created (UTC)</th><th>Duration</th></tr>");
            foreach (var r in runs)
                body.Append($"<tr><td><a href=\"/runs/{Html.Q(r.RunId)}\">{Html.E(r.RunId)}</a></td><td>{Html.Badge(Html.Lower(r.Status))}</td><td><code>{Html.E(r.Selection)}</code></td>")
                    .Append($"<td>{Html.E(TmLakehouse.Orchestrator.Cli.PartitionList.Summarize(r.Partitions))}</td><td>{Html.E(string.Join(" ", r.Tags.Select(t => $"{t.Key}={t.Value}")))}</td>")
                    .Append($"<td>{Html.Time(r.CreatedAt)}</td><td>{Html.Duration(r.StartedAt, r.EndedAt)}</td></tr>");
            body.Append("</table>");
        }
        body.Append("</div>");
        return Layout.Page("Runs", body.ToString());
    }
}
