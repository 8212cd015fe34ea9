using System.Text;
using System.Text.Json;
using Lakehouse.Core.Instance;
using TmLakehouse.Dashboard.Web;
using TmLakehouse.Orchestrator.Hosting;
using TmLakehouse.Orchestrator.Ledger;

namespace TmLakehouse.Dashboard.Pages;

/// <summary>
/// The ISO 19115-style documents (LANDING_AND_SPATIAL §4) written by an asset's latest materialization, on its Overview: what a GIS
/// user reads first (title, abstract, extent, reference system, features, recipe) with the whole document folded and a link to its
/// ledger row. The documents are found through the ledger by the run that wrote them, so any asset that writes one shows it.
/// </summary>
internal static class MetadataDocumentsSection
{
    private const int MostShown = 20;

    public static async Task<string> RenderAsync(LakehouseRuntime runtime, string runId, CancellationToken ct)
    {
        var rows = (await runtime.Instance.Ledger.QueryAsync(new LedgerQuery { RunId = runId, Limit = 1000 }, ct))
            .Where(r => r.Format == LedgerFormats.Iso19115).OrderBy(r => r.Partition, StringComparer.Ordinal).Take(MostShown).ToList();
        if (rows.Count == 0) return "";
        var html = new StringBuilder($"<h2>Metadata documents</h2><div class=\"card\" id=\"metadata-documents\">");
        foreach (var row in rows)
        {
            html.Append($"<section class=\"iso-document\" data-key=\"{Html.E(row.Key)}\">");
            if (await LedgerDocument.FindAsync(runtime.Instance.Ledger, runtime.Resources.Objects, row, ct) is not { Document: var d })
            {
                html.Append($"<p><code>{Html.E(row.Key)}</code> <span class=\"badge s-failed\">missing</span> the ledger names this document but the {Html.E(row.Layer)} bucket does not hold it.</p></section>");
                continue;
            }
            var identification = d.TryGetProperty("identification", out var i) ? i : default;
            html.Append($"<h3 class=\"iso-title\">{Html.E(Text(identification, "title") ?? row.Partition)}</h3>");
            if (Text(identification, "abstract") is { Length: > 0 } @abstract) html.Append($"<p class=\"iso-abstract\">{Html.E(@abstract)}</p>");
            html.Append("<table class=\"iso-facts\">");
            Fact(html, "Table", Text(identification, "table"));
            Fact(html, "Reference system", Text(d, "reference_system"));
            Fact(html, "Extent (W, S, E, N)", d.TryGetProperty("extent", out var e) && e.ValueKind == JsonValueKind.Array
                ? string.Join(", ", e.EnumerateArray().Select(v => v.GetRawText())) : null);
            Fact(html, "Features", d.TryGetProperty("feature_count", out var n) ? n.GetRawText() : null);
            if (d.TryGetProperty("lineage", out var lineage))
            {
                Fact(html, "Recipe", $"{Text(lineage, "recipe")} on {Text(lineage, "engine")}");
                Fact(html, "Sources", lineage.TryGetProperty("sources", out var sources) && sources.ValueKind == JsonValueKind.Array
                    ? string.Join(", ", sources.EnumerateArray().Select(s => Text(s, "path"))) : null);
            }
            html.Append($"<tr><th>Ledger</th><td><a href=\"/ledger?key={Html.Q(row.Key)}\">row {row.Id}</a> · sha256 <code>{Html.E(row.Sha256[..12])}…</code></td></tr></table>");
            html.Append($"<details><summary>The whole document</summary><pre>{Html.E(JsonSerializer.Serialize(d, Indented))}</pre></details></section>");
        }
        return html.Append("</div>").ToString();
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static void Fact(StringBuilder html, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value)) html.Append($"<tr><th>{Html.E(name)}</th><td>{Html.E(value)}</td></tr>");
    }
}
