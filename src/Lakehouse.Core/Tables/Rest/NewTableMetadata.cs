using System.Text.Json.Nodes;
using static Lakehouse.Core.Tables.Rest.RestJson;

namespace Lakehouse.Core.Tables.Rest;

/// <summary>The first metadata JSON of a table: from a create-table request, or the empty start a staged create's updates build on.</summary>
internal static class NewTableMetadata
{
    /// <summary>Metadata for a CreateTableRequest; the schema's field ids are kept as given (they must be unique and positive).</summary>
    public static JsonObject FromRequest(JsonObject request, string location, long nowMs)
    {
        var schema = (JsonObject)Object(request, "schema").DeepClone();
        schema["schema-id"] = 0;
        CheckFieldIds(schema);
        var spec = request["partition-spec"] is JsonObject s ? (JsonObject)s.DeepClone() : new JsonObject { ["fields"] = new JsonArray() };
        spec["spec-id"] = 0;
        var nextPartitionId = 1000L;
        foreach (var field in ArrayOrEmpty(spec, "fields").OfType<JsonObject>())
            if (OptionalLong(field, "field-id") is null) field["field-id"] = nextPartitionId++;
        var order = request["write-order"] is JsonObject o ? (JsonObject)o.DeepClone() : new JsonObject { ["fields"] = new JsonArray() };
        order["order-id"] = ArrayOrEmpty(order, "fields").Count == 0 ? 0 : 1;
        var properties = new JsonObject();
        foreach (var (key, value) in StringMap(request, "properties")) properties[key] = value;
        var metadata = Empty();
        metadata["table-uuid"] = Guid.NewGuid().ToString();
        metadata["location"] = location;
        metadata["last-updated-ms"] = nowMs;
        metadata["last-column-id"] = MetadataUpdates.HighestId(schema);
        metadata["current-schema-id"] = 0;
        metadata["schemas"] = new JsonArray(schema);
        metadata["default-spec-id"] = 0;
        metadata["partition-specs"] = new JsonArray(spec);
        metadata["last-partition-id"] = ArrayOrEmpty(spec, "fields").OfType<JsonObject>().Select(f => Long(f, "field-id")).DefaultIfEmpty(999).Max();
        metadata["default-sort-order-id"] = Int(order, "order-id");
        metadata["sort-orders"] = Int(order, "order-id") == 0
            ? new JsonArray(order)
            : new JsonArray(new JsonObject { ["order-id"] = 0, ["fields"] = new JsonArray() }, order);
        metadata["properties"] = properties;
        return metadata;
    }

    /// <summary>A table with nothing yet: no uuid, schema or location; a create transaction's updates fill them in.</summary>
    public static JsonObject Empty() => new()
    {
        ["format-version"] = 2,
        ["last-sequence-number"] = 0,
        ["last-updated-ms"] = 0,
        ["last-column-id"] = 0,
        ["current-schema-id"] = -1,
        ["schemas"] = new JsonArray(),
        ["default-spec-id"] = -1,
        ["partition-specs"] = new JsonArray(),
        ["last-partition-id"] = 999,
        ["default-sort-order-id"] = -1,
        ["sort-orders"] = new JsonArray(),
        ["properties"] = new JsonObject(),
        ["current-snapshot-id"] = -1,
        ["refs"] = new JsonObject(),
        ["snapshots"] = new JsonArray(),
        ["snapshot-log"] = new JsonArray(),
        ["metadata-log"] = new JsonArray(),
    };

    /// <summary>Fills what a staged create's updates may leave out, and refuses metadata that still lacks a schema.</summary>
    public static void Complete(JsonObject metadata, string defaultLocation, TableIdentifier id)
    {
        metadata["table-uuid"] ??= Guid.NewGuid().ToString();
        metadata["location"] ??= defaultLocation;
        if (ArrayOrEmpty(metadata, "schemas").Count == 0 || OptionalLong(metadata, "current-schema-id") is null or < 0)
            throw Bad($"Creating {id} needs a schema (add-schema and set-current-schema).");
        if (ArrayOrEmpty(metadata, "partition-specs").Count == 0)
        {
            metadata["partition-specs"] = new JsonArray(new JsonObject { ["spec-id"] = 0, ["fields"] = new JsonArray() });
            metadata["default-spec-id"] = 0;
        }
        if (ArrayOrEmpty(metadata, "sort-orders").Count == 0)
        {
            metadata["sort-orders"] = new JsonArray(new JsonObject { ["order-id"] = 0, ["fields"] = new JsonArray() });
            metadata["default-sort-order-id"] = 0;
        }
    }

    private static void CheckFieldIds(JsonObject schema)
    {
        var ids = new List<long>();
        Collect(schema, ids);
        if (ids.Any(i => i <= 0)) throw Bad("Every schema field needs a positive 'id'.");
        var duplicate = ids.GroupBy(i => i).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw Bad($"Field id {duplicate.Key} appears twice in the schema.");
    }

    private static void Collect(JsonNode? node, List<long> ids)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in new[] { "id", "element-id", "key-id", "value-id" })
                    if (o[key] is not null) ids.Add(AsLong(o[key]) ?? throw Bad($"'{key}' must be a whole number."));
                foreach (var (_, child) in o.Where(p => p.Value is JsonObject or JsonArray)) Collect(child, ids);
                break;
            case JsonArray a:
                foreach (var child in a) Collect(child, ids);
                break;
        }
    }
}
