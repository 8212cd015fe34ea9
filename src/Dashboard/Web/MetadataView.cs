using System.Text;
using System.Text.Json;
using Lakehouse.Core.Execution;

namespace TmLakehouse.Dashboard.Web;

/// <summary>Renders materialization metadata by kind: schemas as tables, numbers formatted, paths as code, JSON pretty-printed.</summary>
internal static class MetadataView
{
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true };

    public static string Table(IReadOnlyDictionary<string, MetadataValue> metadata)
    {
        if (metadata.Count == 0) return "<span class=\"muted\">no metadata</span>";
        var html = new StringBuilder("<table class=\"meta\">");
        foreach (var (key, value) in metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
            html.Append($"<tr><th>{Html.E(key)}</th><td data-key=\"{Html.E(key)}\">{(MetadataValue.IsIdKey(key) ? $"<code>{Html.E(value.Display())}</code>" : Value(value))}</td></tr>");
        return html.Append("</table>").ToString();
    }

    public static string Value(MetadataValue value) => value.Kind switch
    {
        MetadataKind.Int when value.Value.TryGetInt64(out var n) => Html.E(Html.Number(n)),
        MetadataKind.Float when value.Value.TryGetDouble(out var d) => Html.E(Html.Number(d)),
        // A quarantine report (Silver's rejected rows, a model's failing tests) links to its page.
        MetadataKind.Path when value.Display().EndsWith("/" + Lakehouse.Core.Quality.QuarantineWriter.ReportFile, StringComparison.Ordinal) =>
            $"<a href=\"/quarantine/{QuarantineIds.Of(value.Display())}\"><code>{Html.E(value.Display())}</code></a>",
        MetadataKind.Path => $"<code>{Html.E(value.Display())}</code>",
        // Documents stay folded: a page of materializations, each with its JSON open, is thousands of pixels of braces.
        MetadataKind.Json => Folded(JsonSummary(value.Value), $"<pre>{Html.E(JsonSerializer.Serialize(value.Value, Pretty))}</pre>"),
        MetadataKind.Markdown => Folded("text", $"<pre>{Html.E(value.Display())}</pre>"),
        MetadataKind.TableSchema when value.Value.ValueKind == JsonValueKind.Array => Folded($"{value.Value.GetArrayLength()} columns", Schema(value.Value)),
        _ => Html.E(value.Display()),
    };

    private static string Folded(string summary, string content) => $"<details><summary>{Html.E(summary)}</summary>{content}</details>";

    private static string JsonSummary(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => $"JSON, {value.GetArrayLength()} items",
        JsonValueKind.Object => $"JSON, {value.EnumerateObject().Count()} keys",
        _ => "JSON",
    };

    private static string Schema(JsonElement columns)
    {
        var html = new StringBuilder("<table><tr><th>column</th><th>type</th><th>nullable</th></tr>");
        foreach (var c in columns.EnumerateArray())
        {
            var name = c.TryGetProperty("name", out var n) ? n.GetString() : "?";
            var type = c.TryGetProperty("type", out var t) ? t.GetString() : "?";
            var nullable = c.TryGetProperty("nullable", out var nl) && nl.ValueKind == JsonValueKind.True;
            html.Append($"<tr><td><code>{Html.E(name)}</code></td><td>{Html.E(type)}</td><td>{(nullable ? "yes" : "no")}</td></tr>");
        }
        return html.Append("</table>").ToString();
    }
}
