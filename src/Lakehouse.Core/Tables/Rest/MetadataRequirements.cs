using System.Text.Json.Nodes;
using static Lakehouse.Core.Tables.Rest.RestJson;

namespace Lakehouse.Core.Tables.Rest;

/// <summary>
/// Checks a commit's requirements against the table's current metadata JSON (null when the table does not exist).
/// A requirement that no longer holds is a 409 CommitFailedException; an unknown one a 400, as the spec demands.
/// </summary>
internal static class MetadataRequirements
{
    public static void Check(JsonObject? current, JsonArray requirements, TableIdentifier id)
    {
        var creates = requirements.OfType<JsonObject>().Any(r => OptionalString(r, "type") == "assert-create");
        if (current is null && !creates) throw CatalogException.NoSuchTable(id);
        foreach (var node in requirements)
        {
            var r = node as JsonObject ?? throw Bad("Each requirement must be an object.");
            var type = String(r, "type");
            if (type == "assert-create")
            {
                if (current is not null) throw Failed(id, "the table already exists");
                continue;
            }
            if (current is null) throw Failed(id, $"{type} cannot hold for a table that is being created");
            switch (type)
            {
                case "assert-table-uuid":
                    var uuid = String(r, "uuid");
                    if (!string.Equals(OptionalString(current, "table-uuid"), uuid, StringComparison.OrdinalIgnoreCase))
                        throw Failed(id, $"table UUID is {OptionalString(current, "table-uuid")}, not {uuid}");
                    break;
                case "assert-ref-snapshot-id":
                    var name = String(r, "ref");
                    if (!r.ContainsKey("snapshot-id")) throw Bad("assert-ref-snapshot-id needs 'snapshot-id' (null: the ref must not exist).");
                    var expected = OptionalLong(r, "snapshot-id");
                    var actual = RefSnapshot(current, name);
                    if (actual != expected)
                        throw Failed(id, expected is null
                            ? $"branch or tag {name} was created concurrently (at snapshot {actual})"
                            : $"branch {name} is at snapshot {(actual is null ? "none" : actual)}, not {expected}");
                    break;
                case "assert-last-assigned-field-id":
                    Same(id, "last assigned field id", OptionalLong(current, "last-column-id"), Long(r, "last-assigned-field-id"));
                    break;
                case "assert-current-schema-id":
                    Same(id, "current schema id", OptionalLong(current, "current-schema-id"), Long(r, "current-schema-id"));
                    break;
                case "assert-last-assigned-partition-id":
                    Same(id, "last assigned partition id", OptionalLong(current, "last-partition-id"), Long(r, "last-assigned-partition-id"));
                    break;
                case "assert-default-spec-id":
                    Same(id, "default spec id", OptionalLong(current, "default-spec-id"), Long(r, "default-spec-id"));
                    break;
                case "assert-default-sort-order-id":
                    Same(id, "default sort order id", OptionalLong(current, "default-sort-order-id"), Long(r, "default-sort-order-id"));
                    break;
                default:
                    throw Bad($"Unknown requirement type '{type}'.");
            }
        }
    }

    /// <summary>The snapshot a branch or tag points at; null when it does not exist.</summary>
    public static long? RefSnapshot(JsonObject metadata, string name)
    {
        if (metadata["refs"] is JsonObject refs && refs[name] is JsonObject r) return OptionalLong(r, "snapshot-id");
        // Metadata without refs (written by old v1 writers) still has a main branch: the current snapshot.
        if (name == "main" && metadata["refs"] is null && OptionalLong(metadata, "current-snapshot-id") is { } current and >= 0) return current;
        return null;
    }

    private static void Same(TableIdentifier id, string what, long? actual, long expected)
    {
        if (actual != expected) throw Failed(id, $"{what} is {actual}, not {expected}");
    }

    private static CatalogException Failed(TableIdentifier id, string why) =>
        new(CatalogErrorKind.CommitFailed, $"Requirement failed for {id}: {why}. Another writer changed the table; reload it and retry.");
}
