using System.Text.Json.Nodes;
using Lakehouse.Core.Tables.Rest;

namespace Lakehouse.Core.Tables.Catalog;

/// <summary>
/// Keeps what other engines put in a table's metadata when tmlake commits it: our metadata model knows schemas, specs,
/// snapshots and the main branch, so without this a tmlake commit after, say, a Spark commit through the REST catalog
/// would drop that engine's tags and branches, statistics files, sort orders and any field we do not model.
/// </summary>
internal static class MetadataCarryOver
{
    /// <summary>The next metadata JSON with the base's other fields, refs (whose snapshots survive) and sort orders put back.</summary>
    public static byte[] Merge(byte[] baseJson, byte[] nextJson)
    {
        if (JsonNode.Parse(baseJson) is not JsonObject @base || JsonNode.Parse(nextJson) is not JsonObject next) return nextJson;
        foreach (var (key, value) in @base)
            if (!next.ContainsKey(key) && value is not null) next[key] = value.DeepClone();
        var snapshots = (next["snapshots"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(s => RestJson.AsLong(s["snapshot-id"])).OfType<long>().ToHashSet();
        if (@base["refs"] is JsonObject baseRefs && next["refs"] is JsonObject nextRefs)
        {
            foreach (var (name, reference) in baseRefs)
                if (name != "main" && reference is JsonObject r && RestJson.AsLong(r["snapshot-id"]) is { } id && snapshots.Contains(id))
                    nextRefs[name] = r.DeepClone();
        }
        foreach (var key in new[] { "sort-orders", "default-sort-order-id" })
            if (@base[key] is { } value) next[key] = value.DeepClone();
        foreach (var key in new[] { "statistics", "partition-statistics" })
            if (next[key] is JsonArray list)
                foreach (var stale in list.OfType<JsonObject>().Where(e => RestJson.AsLong(e["snapshot-id"]) is not { } id || !snapshots.Contains(id)).ToList())
                    list.Remove(stale);
        return System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(next, new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }
}
