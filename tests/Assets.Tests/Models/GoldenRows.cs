using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TmLakehouse.Assets.Tests.Models;

/// <summary>
/// Table rows kept as a JSON file of expected output: each value as JSON with its type spelled out (timestamps as ISO 8601 with
/// offset, doubles round-trip, ints and longs apart), so a compare catches a changed type as well as a changed value.
/// </summary>
internal static class GoldenRows
{
    public static JsonArray ToJson(IEnumerable<Dictionary<string, object?>> rows) =>
        new(rows.Select(r => (JsonNode)new JsonObject(r.Select(kv => KeyValuePair.Create(kv.Key, Encode(kv.Value))))).ToArray());

    public static List<Dictionary<string, object?>> Read(string file, string table, string course)
    {
        var root = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        return root[table]![course]!.AsArray()
            .Select(r => r!.AsObject().ToDictionary(kv => kv.Key, kv => Decode(kv.Value)))
            .ToList();
    }

    private static JsonNode? Encode(object? value) => value switch
    {
        null => null,
        string s => new JsonObject { ["string"] = s },
        long l => new JsonObject { ["long"] = l },
        int i => new JsonObject { ["int"] = i },
        double d => new JsonObject { ["double"] = d.ToString("R", CultureInfo.InvariantCulture) },
        bool b => new JsonObject { ["bool"] = b },
        DateTimeOffset t => new JsonObject { ["timestamptz"] = t.ToString("O", CultureInfo.InvariantCulture) },
        DateOnly d => new JsonObject { ["date"] = d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) },
        _ => throw new ArgumentException($"No golden encoding for {value.GetType().Name}."),
    };

    private static object? Decode(JsonNode? node)
    {
        if (node is null) return null;
        var (type, value) = node.AsObject().Single();
        return type switch
        {
            "string" => value!.GetValue<string>(),
            "long" => value!.GetValue<long>(),
            "int" => value!.GetValue<int>(),
            "double" => double.Parse(value!.GetValue<string>(), CultureInfo.InvariantCulture),
            "bool" => value!.GetValue<bool>(),
            "timestamptz" => DateTimeOffset.Parse(value!.GetValue<string>(), CultureInfo.InvariantCulture),
            "date" => DateOnly.ParseExact(value!.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture),
            _ => throw new JsonException($"Unknown golden type {type}."),
        };
    }
}
