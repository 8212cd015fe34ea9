using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lakehouse.Core.Execution;

/// <summary>The kinds of metadata a materialization can carry; the dashboard renders each kind its own way.</summary>
public enum MetadataKind { Int, Float, Text, Json, Path, TableSchema, Markdown }

/// <summary>A typed metadata value attached to a materialization or check result.</summary>
public sealed record MetadataValue(MetadataKind Kind, JsonElement Value)
{
    public static MetadataValue Int(long value) => new(MetadataKind.Int, JsonSerializer.SerializeToElement(value));
    public static MetadataValue Float(double value) => new(MetadataKind.Float, JsonSerializer.SerializeToElement(value));
    public static MetadataValue Text(string value) => new(MetadataKind.Text, JsonSerializer.SerializeToElement(value));
    public static MetadataValue Path(string value) => new(MetadataKind.Path, JsonSerializer.SerializeToElement(value));
    public static MetadataValue Markdown(string value) => new(MetadataKind.Markdown, JsonSerializer.SerializeToElement(value));
    public static MetadataValue Json<T>(T value) => new(MetadataKind.Json, JsonSerializer.SerializeToElement(value));

    /// <summary>A table schema: columns with name, type and whether they may be null.</summary>
    public static MetadataValue TableSchema(IEnumerable<TableColumnInfo> columns) =>
        new(MetadataKind.TableSchema, JsonSerializer.SerializeToElement(columns.ToList()));

    /// <summary>
    /// Whether a metadata key names an id (<c>snapshot_id</c>, <c>device_health_snapshot_id</c>): readers show and send it as its exact
    /// digits, never as a number to group with commas or to round past 2^53 (a JavaScript reader would).
    /// </summary>
    public static bool IsIdKey(string key) => key.EndsWith("_id", StringComparison.Ordinal);

    /// <summary>The value as plain text, for the CLI and logs.</summary>
    public string Display() => Kind switch
    {
        MetadataKind.Text or MetadataKind.Path or MetadataKind.Markdown => Value.GetString() ?? "",
        MetadataKind.TableSchema => string.Join(", ", Value.EnumerateArray().Select(c => $"{c.GetProperty("name").GetString()} {c.GetProperty("type").GetString()}")),
        _ => Value.GetRawText(),
    };
}

/// <summary>One column of a table schema shown as metadata.</summary>
public sealed record TableColumnInfo(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("nullable")] bool Nullable);
