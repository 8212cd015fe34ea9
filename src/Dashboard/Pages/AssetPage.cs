using System.Text;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Partitions;
using TmLakehouse.Dashboard.Web;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Dashboard.Pages;

/// <summary>One asset: description, dependencies, partition health, Materialize buttons, materialization history, checks and a rows chart.</summary>
internal static class AssetPage
{
    private const int MaxCheckboxes = 500;

    public static async Task<IResult> RenderAsync(HttpContext http, LakehouseRuntime runtime, string keyText, CancellationToken ct)
    {
        if (!TryKey(keyText, out var key) || !runtime.Graph.Contains(key))
            return Layout.Error("Unknown asset", $"There is no asset '{keyText}'.", 404);
        var spec = runtime.Graph.Spec(key);
        var statuses = await runtime.Instance.Events.GetPartitionStatusesAsync(key, ct);
        var byPartition = statuses.Where(s => s.Partition is not null).ToDictionary(s => s.Partition!.Value, s => s);
        IReadOnlyList<PartitionKey> partitions = spec.Partitions is null ? [] : await spec.Partitions.GetKeysAsync(runtime.Instance.Partitions, runtime.Clock, ct);
        var materializations = await runtime.Instance.Events.QueryAsync(new EventQuery { Asset = key, Types = [EventType.Materialization], Descending = true, Limit = 100 }, ct);
        var checks = await runtime.Instance.Events.QueryAsync(new EventQuery { Asset = key, Types = [EventType.CheckResult], Descending = true, Limit = 50 }, ct);

        var body = new StringBuilder();
        body.Append($"<h1>{Html.E(key.Value)} {Html.Badge(AssetStatus.Summary(statuses))}</h1>");
        body.Append("<div class=\"card\">");
        body.Append(string.IsNullOrWhiteSpace(spec.Description) ? "<p class=\"muted\">No description.</p>" : $"<p>{Html.E(spec.Description)}</p>");
        body.Append($"<p><b>Group</b> {Html.E(spec.EffectiveGroup)} · <b>Partitions</b> {(spec.Partitions is null ? "none" : Html.E(string.Join(" × ", spec.Partitions.DimensionNames)))} · <b>Code version</b> {Html.E(spec.CodeVersion)}</p>");
        body.Append($"<p><b>Depends on</b> {Links(runtime.Graph.Parents(key))} · <b>Used by</b> {Links(runtime.Graph.Children(key))}</p>");
        if (spec.Checks.Count > 0) body.Append($"<p><b>Checks</b> {Html.E(string.Join(", ", spec.Checks.Select(c => c.Name)))}</p>");
        body.Append("</div>");

        body.Append("<h2>Partitions</h2><div class=\"card\">");
        if (spec.Partitions is null)
            body.Append($"<p>Unpartitioned: {Html.Badge(statuses.Count == 0 ? AssetStatus.Never : AssetStatus.Of(statuses[0].State))}</p>");
        else if (partitions.Count == 0)
            body.Append("<p class=\"muted\">No partitions are known yet.</p>");
        else
            body.Append(PartitionGrid.Render(spec.Partitions, partitions, byPartition));
        body.Append(MaterializeForm(http, key, spec.Partitions is not null, partitions));
        body.Append("</div>");
        body.Append(await AutomationSection.RenderAsync(runtime, key, ct));

        body.Append("<h2>Rows per materialization</h2><div class=\"card\">");
        var rows = materializations.Where(m => m.Metadata.TryGetValue("rows_out", out var v) && v.Value.ValueKind == System.Text.Json.JsonValueKind.Number)
            .Select(m => (m.Timestamp, m.Metadata["rows_out"].Value.GetDouble())).Reverse().ToList();
        body.Append(Charts.Line(rows, "rows_out per materialization")).Append("</div>");

        body.Append("<h2>Materializations</h2><div class=\"card\">");
        if (materializations.Count == 0) body.Append("<p class=\"muted\">Never materialized.</p>");
        else
        {
            body.Append("<table id=\"materializations\"><tr><th>When (UTC)</th><th>Partition</th><th>Run</th><th>Metadata</th></tr>");
            foreach (var m in materializations)
                body.Append($"<tr><td>{Html.Time(m.Timestamp)}</td><td>{Html.E(m.Partition?.Value ?? "-")}</td><td><a href=\"/runs/{Html.Q(m.RunId)}\">{Html.E(m.RunId)}</a></td><td>{MetadataView.Table(m.Metadata)}</td></tr>");
            body.Append("</table>");
        }
        body.Append("</div>");

        body.Append("<h2>Check results</h2><div class=\"card\">");
        if (checks.Count == 0) body.Append("<p class=\"muted\">No check results.</p>");
        else
        {
            body.Append("<table><tr><th>When (UTC)</th><th>Check</th><th>Result</th><th>Partition</th><th>Description</th><th>Metadata</th></tr>");
            foreach (var c in checks.Where(c => c.Check is not null))
            {
                var verdict = c.Check!.Passed ? "passed" : c.Check.Severity == Lakehouse.Core.Quality.AssetCheckSeverity.Warn ? "warning" : "failed";
                body.Append($"<tr><td>{Html.Time(c.Timestamp)}</td><td>{Html.E(c.Check.CheckName)}</td><td>{Html.Badge(verdict)}</td><td>{Html.E(c.Partition?.Value ?? "-")}</td><td>{Html.E(c.Check.Description)}</td><td>{MetadataView.Table(c.Check.Metadata)}</td></tr>");
            }
            body.Append("</table>");
        }
        body.Append("</div>");
        return Layout.Page(key.Value, body.ToString());
    }

    public static bool TryKey(string text, out AssetKey key)
    {
        try
        {
            key = AssetKey.Parse(text);
            return true;
        }
        catch (ArgumentException)
        {
            key = null!;
            return false;
        }
    }

    private static string Links(IReadOnlyList<AssetKey> keys) => keys.Count == 0
        ? "<span class=\"muted\">nothing</span>"
        : string.Join(", ", keys.Select(k => $"<a href=\"/assets/{Html.PathOf(k.Value)}\">{Html.E(k.Value)}</a>"));

    private static string MaterializeForm(HttpContext http, AssetKey key, bool partitioned, IReadOnlyList<PartitionKey> partitions)
    {
        var form = new StringBuilder($"<form method=\"post\" action=\"/actions/materialize\" id=\"materialize\">{Forms.Token(http)}<input type=\"hidden\" name=\"asset\" value=\"{Html.E(key.Value)}\">");
        if (!partitioned)
        {
            form.Append("<p><button name=\"mode\" value=\"chosen\">Materialize</button> <button class=\"secondary\" name=\"mode\" value=\"upstream\">Materialize with upstream</button></p>");
            return form.Append("</form>").ToString();
        }
        form.Append("<h3>Materialize</h3><div class=\"checks\">");
        foreach (var p in partitions.Take(MaxCheckboxes))
            form.Append($"<label><input type=\"checkbox\" name=\"partition\" value=\"{Html.E(p.Value)}\"> {Html.E(p.Value)}</label>");
        form.Append("</div>");
        if (partitions.Count > MaxCheckboxes) form.Append($"<p class=\"muted\">Showing {MaxCheckboxes} of {partitions.Count} partitions; type others below.</p>");
        form.Append("<p><label>Other partition keys (one per line or space-separated)<br><input type=\"text\" name=\"partitions_text\" size=\"70\" placeholder=\"course_id=erinhills,ingest_date=2025-06-01\"></label></p>");
        form.Append("<p><button name=\"mode\" value=\"chosen\">Materialize chosen</button> <button class=\"secondary\" name=\"mode\" value=\"upstream\">Chosen, with upstream</button> <button class=\"secondary\" name=\"mode\" value=\"all\">All partitions</button></p>");
        return form.Append("</form>").ToString();
    }
}
