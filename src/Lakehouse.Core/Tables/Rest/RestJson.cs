using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lakehouse.Core.Tables.Rest;

/// <summary>Reads the fields of REST catalog JSON bodies, refusing a missing or mistyped field with a 400 that names it.</summary>
internal static class RestJson
{
    public static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    public static JsonObject ParseObject(ReadOnlySpan<byte> body, string what)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw Bad($"The {what} must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw Bad($"The {what} is not valid JSON: {e.Message}");
        }
    }

    public static CatalogException Bad(string message) => new(CatalogErrorKind.BadRequest, message);

    public static JsonObject Object(JsonObject o, string name) =>
        o[name] as JsonObject ?? throw Bad($"'{name}' must be an object.");

    public static JsonArray Array(JsonObject o, string name) =>
        o[name] as JsonArray ?? throw Bad($"'{name}' must be an array.");

    public static JsonArray ArrayOrEmpty(JsonObject o, string name) => o[name] switch
    {
        JsonArray a => a,
        null => [],
        _ => throw Bad($"'{name}' must be an array."),
    };

    public static string String(JsonObject o, string name) => OptionalString(o, name) ?? throw Bad($"'{name}' is required.");

    public static string? OptionalString(JsonObject o, string name) => o[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => throw Bad($"'{name}' must be a string."),
    };

    public static long Long(JsonObject o, string name) => OptionalLong(o, name) ?? throw Bad($"'{name}' is required.");

    public static int Int(JsonObject o, string name) => checked((int)Long(o, name));

    public static long? OptionalLong(JsonObject o, string name) =>
        o[name] is null ? null : AsLong(o[name]) ?? throw Bad($"'{name}' must be a whole number.");

    /// <summary>A whole number, or null for anything else. Parsed values and values built from CLR ints convert differently; their JSON text reads the same.</summary>
    public static long? AsLong(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
        && long.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var l) ? l : null;

    public static bool OptionalBool(JsonObject o, string name) => o[name] switch
    {
        null => false,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        _ => throw Bad($"'{name}' must be true or false."),
    };

    public static Dictionary<string, string> StringMap(JsonObject o, string name)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (o[name] is null) return result;
        foreach (var (key, value) in Object(o, name))
            result[key] = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Bad($"'{name}.{key}' must be a string.");
        return result;
    }

    public static List<string> Strings(JsonObject o, string name) =>
        ArrayOrEmpty(o, name).Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Bad($"'{name}' must hold strings.")).ToList();

    /// <summary>The one-level namespace of a <c>["silver"]</c> array (this catalog's namespaces have one level).</summary>
    public static string Namespace(JsonObject o, string name)
    {
        var parts = Strings(o, name);
        return parts.Count == 1 ? parts[0] : throw Bad($"'{name}' must name one level, e.g. [\"silver\"]; this catalog has one-level namespaces.");
    }

    public static TableIdentifier Identifier(JsonObject o, string name)
    {
        var id = Object(o, name);
        return new TableIdentifier(Namespace(id, "namespace"), String(id, "name"));
    }

    public static JsonObject IdentifierJson(TableIdentifier id) => new() { ["namespace"] = new JsonArray(id.Namespace), ["name"] = id.Name };

    public static byte[] Bytes(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, Compact);
}
