using System.Text;
using System.Text.Json;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Partitions;
using TmLakehouse.Dashboard.Web;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Dashboard.Pages;

/// <summary>
/// One asset in tabs: Overview (latest check results first, partition health, Materialize), Partitions (a metadata series per
/// partition or in total), Checks, Lineage and Metadata (the materializations, documents folded).
/// </summary>
internal static class AssetPage
{
    private const int MaxCheckboxes = 500;
    /// <summary>The most partition statuses the grid draws; an asset with more shows its counts (from the store) instead.</summary>
    private const int MaxGridStatuses = 10_000;
    private static readonly string[] Tabs = ["overview", "partitions", "checks", "lineage", "metadata"];

    public static async Task<IResult> RenderAsync(HttpContext http, LakehouseRuntime runtime, string keyText, CancellationToken ct)
    {
        if (!TryKey(keyText, out var key) || !runtime.Graph.Contains(key))
            return Layout.Error("Unknown asset", $"There is no asset '{keyText}'.", 404);
        var query = http.Request.Query;
        var tab = Tabs.Contains(query["tab"].ToString()) ? query["tab"].ToString() : "overview";
        var spec = runtime.Graph.Spec(key);
        var counts = (await runtime.Instance.Events.GetStatusCountsAsync(key, ct)).SingleOrDefault() ?? AssetStatusCounts.None(key);
        var drawn = counts.Total <= MaxGridStatuses;
        var byPartition = (drawn ? await runtime.Instance.Events.GetPartitionStatusPageAsync(key, null, MaxGridStatuses, ct) : [])
            .Where(s => s.Partition is not null).ToDictionary(s => s.Partition!.Value, s => s);
        IReadOnlyList<PartitionKey> partitions = spec.Partitions is null ? [] : await spec.Partitions.GetKeysAsync(runtime.Instance.Partitions, runtime.Clock, ct);
        var materializations = await runtime.Instance.Events.QueryAsync(new EventQuery { Asset = key, Types = [EventType.Materialization], Descending = true, Limit = 200 }, ct);
        var checks = (await runtime.Instance.Events.QueryAsync(new EventQuery { Asset = key, Types = [EventType.CheckResult], Descending = true, Limit = 500 }, ct))
            .Where(c => c.Check is not null).ToList();
        var latestChecks = checks.DistinctBy(c => (c.Check!.CheckName, c.Partition?.Value)).ToList();

        var body = new StringBuilder();
        body.Append($"<h1>{Html.E(key.Value)} {Html.Badge(AssetStatus.Summary(counts))}</h1>");
        body.Append(string.IsNullOrWhiteSpace(spec.Description) ? "<p class=\"muted\">No description.</p>" : $"<p>{Html.E(spec.Description)}</p>");
        body.Append("<nav class=\"tabs\" id=\"asset-tabs\">");
        foreach (var t in Tabs)
            body.Append($"<a href=\"/assets/{Html.PathOf(key.Value)}?tab={t}\"{(t == tab ? " class=\"active\" aria-current=\"page\"" : "")}>{char.ToUpperInvariant(t[0])}{t[1..]}</a>");
        body.Append("</nav>");
        switch (tab)
        {
            case "partitions": Series(body, key, spec, materializations, query["metric"].ToString(), query["series"].ToString()); break;
            case "checks": CheckTable(body, checks, "No check results.", "check-history"); break;
            case "lineage":
                body.Append($"<div class=\"card\"><p><b>Depends on</b> {Links(runtime.Graph.Parents(key))}</p><p><b>Used by</b> {Links(runtime.Graph.Children(key))}</p>");
                body.Append($"<p><b>Everything upstream</b> {Links(runtime.Graph.Upstream(key))}</p><p><b>Everything downstream</b> {Links(runtime.Graph.Downstream(key))}</p></div>");
                break;
            case "metadata": Materializations(body, materializations); break;
            default:
                var failing = latestChecks.Count(c => !c.Check!.Passed);
                body.Append($"<h2>Latest check results{(failing > 0 ? $" <span class=\"badge s-failed\">{failing} not passing</span>" : "")}</h2>");
                CheckTable(body, latestChecks.OrderBy(c => c.Check!.Passed).ToList(), spec.Checks.Count == 0 ? "No checks are defined." : "No check has run yet.", "latest-checks");
                body.Append("<div class=\"card\">");
                body.Append($"<p><b>Group</b> {Html.E(spec.EffectiveGroup)} · <b>Kind</b> {Html.E(AssetSummary.KindOf(runtime.Graph.Get(key), spec))} · <b>Partitions</b> {(spec.Partitions is null ? "none" : Html.E(string.Join(" × ", spec.Partitions.DimensionNames)))} · <b>Code version</b> {Html.E(spec.CodeVersion)}</p>");
                body.Append($"<p><b>Depends on</b> {Links(runtime.Graph.Parents(key))} · <b>Used by</b> {Links(runtime.Graph.Children(key))}</p></div>");
                body.Append("<h2>Partitions</h2><div class=\"card\">");
                if (spec.Partitions is null)
                    body.Append($"<p>Unpartitioned: {Html.Badge(counts.Total == 0 ? AssetStatus.Never : AssetStatus.Of(counts.States.Keys.First()))}</p>");
                else if (!drawn)
                    body.Append($"<p class=\"legend muted\" id=\"partition-counts\">{counts.Total} partitions with a status, too many to draw: " +
                                $"{string.Join(", ", AssetStatus.Counts(counts).Select(c => $"<span data-status=\"{c.Key}\" data-count=\"{c.Value}\">{c.Value} {c.Key}</span>"))}; " +
                                $"page through them at <a href=\"/api/assets/{Html.PathOf(key.Value)}\">/api/assets/{Html.E(key.Value)}</a></p>");
                else if (partitions.Count == 0 && byPartition.Count == 0)
                    body.Append("<p class=\"muted\">No partitions are known yet.</p>");
                else
                    body.Append(PartitionGrid.Render(spec.Partitions, partitions, byPartition));
                body.Append(MaterializeForm(http, key, spec.Partitions is not null, partitions, query["partition"].Select(p => p ?? "").ToHashSet(StringComparer.Ordinal)));
                body.Append("</div>");
                if (materializations.Count > 0) body.Append($"<p class=\"muted\">Latest materialization {Html.Time(materializations[0].Timestamp)} UTC in run <a href=\"/runs/{Html.Q(materializations[0].RunId)}\">{Html.E(materializations[0].RunId)}</a> · <a href=\"?tab=metadata\">all materializations</a></p>");
                if (materializations.Count > 0) body.Append(await MetadataDocumentsSection.RenderAsync(runtime, materializations[0].RunId, ct));
                break;
        }
        return Layout.Page(key.Value, body.ToString());
    }

    /// <summary>The numeric metadata keys this asset reports, the row count first (rows_out, or rows for landed files).</summary>
    private static List<string> NumericKeys(IReadOnlyList<EventRecord> materializations) => materializations
        .SelectMany(m => m.Metadata.Where(e => e.Value.Value.ValueKind == JsonValueKind.Number && !Lakehouse.Core.Execution.MetadataValue.IsIdKey(e.Key)).Select(e => e.Key))
        .Distinct().OrderBy(k => k switch { "rows_out" => 0, "rows" => 1, _ => 2 }).ThenBy(k => k, StringComparer.Ordinal).ToList();

    private static void Series(StringBuilder body, AssetKey key, AssetSpec spec, IReadOnlyList<EventRecord> materializations, string metric, string mode)
    {
        var keys = NumericKeys(materializations);
        if (keys.Count == 0)
        {
            body.Append("<div class=\"card\"><p class=\"muted\">No numeric metadata yet.</p></div>");
            return;
        }
        var chosen = keys.Contains(metric) ? metric : keys[0];
        var total = mode == "total" || spec.Partitions is null;
        body.Append($"<form class=\"filters\" method=\"get\" id=\"series-chooser\"><input type=\"hidden\" name=\"tab\" value=\"partitions\"><label>Metadata<select name=\"metric\">");
        foreach (var k in keys) body.Append($"<option{(k == chosen ? " selected" : "")}>{Html.E(k)}</option>");
        body.Append("</select></label>");
        if (spec.Partitions is not null)
            body.Append($"<label>Series<select name=\"series\"><option value=\"partition\"{(total ? "" : " selected")}>one per partition</option><option value=\"total\"{(total ? " selected" : "")}>all partitions, summed per run</option></select></label>");
        body.Append("<button>Show</button></form>");
        var points = materializations.Where(m => m.Metadata.TryGetValue(chosen, out var v) && v.Value.ValueKind == JsonValueKind.Number).Reverse().ToList();
        IReadOnlyList<(string, IReadOnlyList<(DateTimeOffset, double)>)> series = total
            ? [(chosen, points.GroupBy(m => m.RunId).Select(g => (g.Max(m => m.Timestamp), g.Sum(m => m.Metadata[chosen].Value.GetDouble()))).OrderBy(p => p.Item1).ToList())]
            : points.GroupBy(m => m.Partition?.Value ?? "-").OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (g.Key, (IReadOnlyList<(DateTimeOffset, double)>)g.Select(m => (m.Timestamp, m.Metadata[chosen].Value.GetDouble())).ToList())).ToList();
        body.Append($"<div class=\"card\" id=\"series-chart\" data-metric=\"{Html.E(chosen)}\" data-series=\"{series.Count}\">").Append(Charts.Lines(series, $"{chosen} of {key.Value} over time")).Append("</div>");
    }

    private static void CheckTable(StringBuilder body, IReadOnlyList<EventRecord> checks, string empty, string id)
    {
        body.Append("<div class=\"card\">");
        if (checks.Count == 0) body.Append($"<p class=\"muted\">{Html.E(empty)}</p>");
        else
        {
            body.Append($"<table id=\"{id}\"><tr><th>When (UTC)</th><th>Check</th><th>Result</th><th>Partition</th><th>Description</th><th>Metadata</th></tr>");
            foreach (var c in checks)
            {
                var verdict = c.Check!.Passed ? "passed" : c.Check.Severity == Lakehouse.Core.Quality.AssetCheckSeverity.Warn ? "warning" : "failed";
                body.Append($"<tr data-check=\"{Html.E(c.Check.CheckName)}\" data-result=\"{verdict}\"><td>{Html.Time(c.Timestamp)}</td><td>{Html.E(c.Check.CheckName)}</td><td>{Html.Badge(verdict)}</td><td>{Html.E(c.Partition?.Value ?? "-")}</td><td>{Html.E(c.Check.Description)}</td><td>{(c.Check.Metadata.Count == 0 ? "" : $"<details><summary>{c.Check.Metadata.Count} {(c.Check.Metadata.Count == 1 ? "key" : "keys")}</summary>{MetadataView.Table(c.Check.Metadata)}</details>")}</td></tr>");
            }
            body.Append("</table>");
        }
        body.Append("</div>");
    }

    private static void Materializations(StringBuilder body, IReadOnlyList<EventRecord> materializations)
    {
        body.Append("<div class=\"card\">");
        if (materializations.Count == 0) body.Append("<p class=\"muted\">Never materialized.</p>");
        else
        {
            body.Append("<table id=\"materializations\"><tr><th>When (UTC)</th><th>Partition</th><th>Run</th><th>Metadata</th></tr>");
            foreach (var m in materializations)
                body.Append($"<tr><td>{Html.Time(m.Timestamp)}</td><td>{Html.E(m.Partition?.Value ?? "-")}</td><td><a href=\"/runs/{Html.Q(m.RunId)}\">{Html.E(m.RunId)}</a></td><td>{MetadataView.Table(m.Metadata)}</td></tr>");
            body.Append("</table>");
        }
        body.Append("</div>");
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

    /// <summary>The Materialize form; partitions named in the page's query (a selection kept through sign-in) come ticked.</summary>
    private static string MaterializeForm(HttpContext http, AssetKey key, bool partitioned, IReadOnlyList<PartitionKey> partitions, IReadOnlySet<string> ticked)
    {
        var form = new StringBuilder($"<form method=\"post\" action=\"/actions/materialize\" id=\"materialize\">{Forms.Token(http)}<input type=\"hidden\" name=\"asset\" value=\"{Html.E(key.Value)}\">");
        if (!partitioned)
        {
            form.Append("<p><button name=\"mode\" value=\"chosen\">Materialize</button> <button class=\"secondary\" name=\"mode\" value=\"upstream\">Materialize with upstream</button></p>");
            return form.Append("</form>").ToString();
        }
        form.Append("<h3>Materialize</h3><div class=\"checks\">");
        foreach (var p in partitions.Take(MaxCheckboxes))
            form.Append($"<label><input type=\"checkbox\" name=\"partition\" value=\"{Html.E(p.Value)}\"{(ticked.Contains(p.Value) ? " checked" : "")}> {Html.E(p.Value)}</label>");
        form.Append("</div>");
        if (partitions.Count > MaxCheckboxes) form.Append($"<p class=\"muted\">Showing {MaxCheckboxes} of {partitions.Count} partitions; type others below.</p>");
        var typed = string.Join(' ', ticked.Where(t => !partitions.Take(MaxCheckboxes).Any(p => p.Value == t)));
        form.Append($"<p><label>Other partition keys (one per line or space-separated)<br><input type=\"text\" name=\"partitions_text\" size=\"70\" value=\"{Html.E(typed)}\" placeholder=\"course_id=erinhills,ingest_date=2025-06-01\"></label></p>");
        form.Append("<p><button name=\"mode\" value=\"chosen\">Materialize chosen</button> <button class=\"secondary\" name=\"mode\" value=\"upstream\">Chosen, with upstream</button> <button class=\"secondary\" name=\"mode\" value=\"all\">All partitions</button></p>");
        return form.Append("</form>").ToString();
    }
}
