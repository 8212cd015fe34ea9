using System.Text;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Partitions;
using TmLakehouse.Dashboard.Web;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Dashboard.Pages;

/// <summary>Runs, newest first, filterable by status, asset and partition, 50 to a page, with the runs each re-executes or was re-executed by.</summary>
internal static class RunsPage
{
    public const int PageSize = 50;

    public static async Task<IResult> RenderAsync(LakehouseRuntime runtime, string? status, string? asset, string? partition, int? page, CancellationToken ct)
    {
        var number = Math.Clamp(page ?? 1, 1, 10_000 / PageSize);
        RunStatus? statusFilter = null;
        if (!string.IsNullOrEmpty(status))
            statusFilter = Enum.TryParse<RunStatus>(status, true, out var parsed) ? parsed : null;
        AssetKey? assetFilter = !string.IsNullOrWhiteSpace(asset) && AssetPage.TryKey(asset, out var key) ? key : null;
        var runs = await runtime.Instance.Runs.ListRunsAsync(new RunQuery
        {
            Status = statusFilter,
            Asset = assetFilter is null ? null : runtime.Graph.StepAssetOrSelf(assetFilter),
            Partition = string.IsNullOrWhiteSpace(partition) ? null : new PartitionKey(partition.Trim()),
            // The store pages by a limit only: read up to this page and one more row, to know whether a next page exists.
            Limit = number * PageSize + 1,
        }, ct);
        var more = runs.Count > number * PageSize;
        var children = runs.Where(r => r.ParentRunId is not null).ToLookup(r => r.ParentRunId!);
        runs = runs.Skip((number - 1) * PageSize).Take(PageSize).ToList();

        var body = new StringBuilder("<h1>Runs</h1>").Append(RunsTabs.Nav("runs")).Append("<form class=\"filters\" method=\"get\">");
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
            body.Append("<table id=\"runs\"><tr><th>Run</th><th>Status</th><th>Selection</th><th>Partitions</th><th>Tags</th><th>Created (UTC)</th><th>Duration</th><th>Re-execution</th></tr>");
            foreach (var r in runs)
                body.Append($"<tr data-run=\"{Html.E(r.RunId)}\"><td><a href=\"/runs/{Html.Q(r.RunId)}\">{Html.E(r.RunId)}</a></td><td>{Html.Badge(Html.Lower(r.Status))}</td><td><code>{Html.E(r.Selection)}</code></td>")
                    .Append($"<td>{Html.E(TmLakehouse.Orchestrator.Cli.PartitionList.Summarize(r.Partitions))}</td><td>{Html.E(string.Join(" ", r.Tags.Select(t => $"{t.Key}={t.Value}")))}</td>")
                    .Append($"<td>{Html.Time(r.CreatedAt)}</td><td>{Html.Duration(r.StartedAt, r.EndedAt)}</td><td class=\"lineage\">{Lineage(r, children[r.RunId])}</td></tr>");
            body.Append("</table>");
            var filters = $"status={Html.Q(status)}&asset={Html.Q(asset)}&partition={Html.Q(partition)}";
            body.Append($"<p class=\"pager\" id=\"pager\">{(number > 1 ? $"<a rel=\"prev\" href=\"/runs?{filters}&page={number - 1}\">← newer</a>" : "")}<span>page {number}</span>{(more ? $"<a rel=\"next\" href=\"/runs?{filters}&page={number + 1}\">older →</a>" : "")}</p>");
        }
        body.Append("</div>");
        return Layout.Page("Runs", body.ToString());
    }

    private static string Lineage(RunRecord run, IEnumerable<RunRecord> children)
    {
        var parts = new List<string>();
        if (run.ParentRunId is { } parent) parts.Add($"re-executes <a href=\"/runs/{Html.Q(parent)}\">{Html.E(parent)}</a>");
        var kids = children.ToList();
        if (kids.Count > 0) parts.Add("re-executed by " + string.Join(", ", kids.Select(c => $"<a href=\"/runs/{Html.Q(c.RunId)}\">{Html.E(c.RunId)}</a>")));
        return parts.Count == 0 ? "-" : string.Join("<br>", parts);
    }
}
