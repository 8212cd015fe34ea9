using System.Text;
using System.Text.Json;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Partitions;
using Lakehouse.Core.Quality;

namespace Lakehouse.Core.Instance.Storage;

/// <summary>The JSON forms of the columns that hold lists, tags, metadata and check results; metadata values are written raw so they read back exactly.</summary>
internal static class InstanceJson
{
    public static string Strings(IEnumerable<string> values) => Write(w =>
    {
        w.WriteStartArray();
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    });

    public static IReadOnlyList<string> ReadStrings(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateArray().Select(e => e.GetString()!).ToList();
    }

    public static string StepKeys(IEnumerable<StepKey> keys) => Strings(keys.Select(k => k.ToString()));

    public static IReadOnlyList<StepKey> ReadStepKeys(string json) => ReadStrings(json).Select(StepKey.Parse).ToList();

    /// <summary>A step's upstream reads: <c>{"asset": ["partition", ...]}</c>, in the plan's order.</summary>
    public static string Upstream(IReadOnlyDictionary<AssetKey, IReadOnlyList<PartitionKey>> reads) => Write(w =>
    {
        w.WriteStartObject();
        foreach (var (asset, partitions) in reads)
        {
            w.WriteStartArray(asset.Value);
            foreach (var partition in partitions) w.WriteStringValue(partition.Value);
            w.WriteEndArray();
        }
        w.WriteEndObject();
    });

    public static IReadOnlyDictionary<AssetKey, IReadOnlyList<PartitionKey>> ReadUpstream(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateObject().ToDictionary(
            p => new AssetKey(p.Name), p => (IReadOnlyList<PartitionKey>)p.Value.EnumerateArray().Select(e => new PartitionKey(e.GetString()!)).ToList());
    }

    public static string Tags(IReadOnlyDictionary<string, string> tags) => Write(w =>
    {
        w.WriteStartObject();
        foreach (var (k, v) in tags) w.WriteString(k, v);
        w.WriteEndObject();
    });

    public static IReadOnlyDictionary<string, string> ReadTags(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
    }

    public static string Metadata(IReadOnlyDictionary<string, MetadataValue> metadata) => Write(w => WriteMetadata(w, metadata));

    public static IReadOnlyDictionary<string, MetadataValue> ReadMetadata(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return ReadMetadata(doc.RootElement);
    }

    public static string? Check(AssetCheckResult? check) => check is null ? null : Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("checkName", check.CheckName);
        w.WriteBoolean("passed", check.Passed);
        w.WriteString("severity", check.Severity.ToString());
        w.WriteBoolean("blocking", check.Blocking);
        w.WriteString("description", check.Description);
        w.WritePropertyName("metadata");
        WriteMetadata(w, check.Metadata);
        w.WriteEndObject();
    });

    public static AssetCheckResult? ReadCheck(string? json)
    {
        if (json is null) return null;
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        return new AssetCheckResult(
            root.GetProperty("checkName").GetString()!,
            root.GetProperty("passed").GetBoolean(),
            Enum.Parse<AssetCheckSeverity>(root.GetProperty("severity").GetString()!),
            root.GetProperty("blocking").GetBoolean())
        {
            Description = root.GetProperty("description").GetString()!,
            Metadata = ReadMetadata(root.GetProperty("metadata")),
        };
    }

    private static void WriteMetadata(Utf8JsonWriter w, IReadOnlyDictionary<string, MetadataValue> metadata)
    {
        w.WriteStartObject();
        foreach (var (name, value) in metadata)
        {
            if (value.Value.ValueKind == JsonValueKind.Undefined)
                throw new ArgumentException($"Metadata entry '{name}' has no value.", nameof(metadata));
            w.WriteStartObject(name);
            w.WriteString("kind", value.Kind.ToString());
            w.WritePropertyName("value");
            value.Value.WriteTo(w);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static Dictionary<string, MetadataValue> ReadMetadata(JsonElement root)
    {
        var result = new Dictionary<string, MetadataValue>();
        foreach (var entry in root.EnumerateObject())
            result[entry.Name] = new MetadataValue(
                Enum.Parse<MetadataKind>(entry.Value.GetProperty("kind").GetString()!),
                entry.Value.GetProperty("value").Clone());
        return result;
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer)) write(w);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
