using System.Net;
using System.Text;
using System.Text.Json;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Partitions;
using TmLakehouse.Assets.Models;

namespace TmLakehouse.Orchestrator.Docs;

/// <summary>
/// The data catalog (dbt docs for this project): every asset with its description, partitions, upstream and downstream assets,
/// checks, and — for SQL models — columns with descriptions and tests, file, code version, automation and SQL. `tmlake docs`
/// writes it as a static page; the dashboard serves the same at /docs.
/// </summary>
public static class DocsCatalog
{
    /// <summary>A standalone HTML page (its own small stylesheet), for `tmlake docs`.</summary>
    public static string Page(AssetGraph graph) =>
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>TmLakehouse data catalog</title><style>" +
        "body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#222}" +
        "table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}" +
        "pre{background:#f5f5f5;padding:.5rem;overflow:auto}.asset{border-top:2px solid #ddd;margin-top:1.5rem}.muted{color:#777}" +
        "</style></head><body>" + Body(graph) + "</body></html>";

    /// <summary>The catalog as an HTML fragment.</summary>
    public static string Body(AssetGraph graph)
    {
        var html = new StringBuilder("<h1>Data catalog</h1>");
        html.Append("<p class=\"muted\">Every asset of the lakehouse in dependency order. SQL models live in <code>models/&lt;layer&gt;/&lt;name&gt;.sql</code>; ")
            .Append("their tests run as the asset's checks (error: fails the step and skips downstream; warn: only warns).</p>");
        html.Append("<h2>Lineage</h2><table><tr><th>asset</th><th>reads</th><th>read by</th></tr>");
        var ordered = graph.InTopologicalOrder(graph.Assets);
        foreach (var key in ordered)
            html.Append($"<tr><td>{Link(key)}</td><td>{Links(graph.Parents(key))}</td><td>{Links(graph.Children(key))}</td></tr>");
        html.Append("</table>");
        foreach (var key in ordered) Asset(html, graph, key);
        return html.ToString();
    }

    /// <summary>The catalog as JSON (assets, columns, tests, lineage), for tools.</summary>
    public static string Json(AssetGraph graph) => JsonSerializer.Serialize(graph.InTopologicalOrder(graph.Assets).Select(key =>
    {
        var spec = graph.Spec(key);
        var model = ModelOf(graph, key);
        return new
        {
            key = key.Value,
            description = spec.Description,
            partitions = PartitionsText(spec.Partitions),
            upstream = graph.Parents(key).Select(k => k.Value),
            downstream = graph.Children(key).Select(k => k.Value),
            checks = spec.Checks.Select(c => new { name = c.Name, severity = c.Severity.ToString().ToLowerInvariant(), description = c.Description }),
            sql_file = model?.File,
            code_version = spec.CodeVersion,
            automation = model?.Automation.ToString(),
            columns = model?.Columns.Select(c => new { name = c.Name, description = c.Description, tests = TestsOf(model, c.Name) }),
        };
    }), new JsonSerializerOptions { WriteIndented = true });

    private static void Asset(StringBuilder html, AssetGraph graph, AssetKey key)
    {
        var spec = graph.Spec(key);
        var model = ModelOf(graph, key);
        html.Append($"<div class=\"asset\" id=\"{Id(key)}\"><h2>{E(key.Value)}</h2><p>{E(spec.Description)}</p>");
        html.Append($"<p><b>Partitions</b> {E(PartitionsText(spec.Partitions))} · <b>Group</b> {E(spec.EffectiveGroup)} · <b>Code version</b> <code>{E(spec.CodeVersion)}</code>");
        if (model is not null) html.Append($" · <b>File</b> <code>{E(model.File)}</code> · <b>Automation</b> {E(model.Automation.ToString())}");
        html.Append("</p>");
        html.Append($"<p><b>Reads</b> {Links(graph.Parents(key))} · <b>Read by</b> {Links(graph.Children(key))}</p>");
        if (model is not null && model.Columns.Count > 0)
        {
            html.Append("<h3>Columns</h3><table><tr><th>column</th><th>description</th><th>tests</th></tr>");
            foreach (var c in model.Columns)
                html.Append($"<tr><td><code>{E(c.Name)}</code></td><td>{E(c.Description)}</td><td>{E(string.Join(", ", TestsOf(model, c.Name)))}</td></tr>");
            html.Append("</table>");
        }
        if (spec.Checks.Count > 0)
        {
            html.Append("<h3>Tests and checks</h3><table><tr><th>name</th><th>severity</th><th>what it checks</th></tr>");
            foreach (var c in spec.Checks)
                html.Append($"<tr><td><code>{E(c.Name)}</code></td><td>{E(c.Severity.ToString().ToLowerInvariant())}</td><td>{E(c.Description)}</td></tr>");
            html.Append("</table>");
        }
        if (model is not null) html.Append($"<details><summary>SQL</summary><pre>{E(model.Sql)}</pre></details>");
        html.Append("</div>");
    }

    private static SqlModel? ModelOf(AssetGraph graph, AssetKey key) => graph.Get(key).Compute is SqlModelAsset asset ? asset.Model : null;

    private static IEnumerable<string> TestsOf(SqlModel model, string column) =>
        model.Tests.Where(t => t.Columns.Count == 1 && t.Columns[0] == column).Select(t => $"{t.Name} ({t.Severity.ToString().ToLowerInvariant()})");

    private static string PartitionsText(PartitionsDefinition? partitions) =>
        partitions is null ? "none" : "per " + string.Join(" × ", partitions.DimensionNames);

    private static string Links(IEnumerable<AssetKey> keys)
    {
        var list = keys.Select(Link).ToList();
        return list.Count == 0 ? "<span class=\"muted\">-</span>" : string.Join(", ", list);
    }

    private static string Link(AssetKey key) => $"<a href=\"#{Id(key)}\">{E(key.Value)}</a>";

    private static string Id(AssetKey key) => "asset-" + key.Value.Replace('/', '-');

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
