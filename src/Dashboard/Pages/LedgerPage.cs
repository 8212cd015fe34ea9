using System.Text;
using Lakehouse.Core.Instance;
using TmLakehouse.Dashboard.Web;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Dashboard.Pages;

/// <summary>The ledger: every object the lake stores, newest first, filterable by batch and key prefix; each row links to its run.</summary>
internal static class LedgerPage
{
    public static async Task<IResult> RenderAsync(LakehouseRuntime runtime, string? batch, string? key, CancellationToken ct)
    {
        var rows = await runtime.Instance.Ledger.QueryAsync(new LedgerQuery
        {
            BatchId = string.IsNullOrWhiteSpace(batch) ? null : batch.Trim(),
            KeyPrefix = string.IsNullOrWhiteSpace(key) ? null : key.Trim(),
            Limit = 500,
        }, ct);
        var body = new StringBuilder("<h1>Ledger</h1><p class=\"muted\">If it is not in the ledger, it does not exist in the lake: one row per stored object, whose metadata carries the row's id.</p>");
        body.Append("<form class=\"filters\" method=\"get\">");
        body.Append($"<label>Batch<input type=\"text\" name=\"batch\" value=\"{Html.E(batch)}\"></label>");
        body.Append($"<label>Key<input type=\"text\" name=\"key\" value=\"{Html.E(key)}\" placeholder=\"course_id=erinhills/\"></label>");
        body.Append("<button>Filter</button></form><div class=\"card\">");
        if (rows.Count == 0) body.Append("<p class=\"muted\">No ledger rows match.</p>");
        else
        {
            body.Append("<table id=\"ledger\"><tr><th>Id</th><th>Layer</th><th>Key</th><th>Batch</th><th>Uploader</th><th>Intent</th><th>Format</th><th>Rows</th><th>Bytes</th><th>SHA-256</th><th>Run</th><th>Created (UTC)</th></tr>");
            foreach (var r in rows)
                body.Append($"<tr data-ledger-id=\"{r.Id}\"><td>{r.Id}</td><td>{Html.E(r.Layer)}</td><td><code>{Html.E(r.Key)}</code></td><td>{Html.E(r.BatchId ?? "-")}</td>")
                    .Append($"<td>{Html.E(r.Uploader ?? "-")}</td><td>{Html.E(r.Intent ?? "-")}</td><td>{Html.E(r.Format)}</td><td>{Html.Number(r.RowCount)}</td><td>{Html.Number(r.Size)}</td>")
                    .Append($"<td><code title=\"{Html.E(r.Sha256)}\">{Html.E(r.Sha256[..12])}</code></td><td><a href=\"/runs/{Html.Q(r.RunId)}\">{Html.E(r.RunId)}</a></td><td>{Html.Time(r.LandedAt)}</td></tr>");
            body.Append("</table>");
        }
        return Layout.Page("Ledger", body.Append("</div>").ToString());
    }
}
