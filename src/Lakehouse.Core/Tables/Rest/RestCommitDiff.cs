using System.Text.Json.Nodes;
using Lakehouse.Core.Tables.Iceberg;

namespace Lakehouse.Core.Tables.Rest;

/// <summary>
/// Turns one of our commits (base metadata → next metadata) into a REST commit: requirements that hold only while the table is
/// still at the base (uuid, main branch, schema, last field id, spec), so the server's check is the compare-and-swap, and the
/// updates that take the base to the next state.
/// </summary>
internal static class RestCommitDiff
{
    public static JsonObject Build(TableMetadata @base, TableMetadata next)
    {
        var requirements = new JsonArray
        {
            new JsonObject { ["type"] = "assert-table-uuid", ["uuid"] = @base.TableUuid },
            new JsonObject { ["type"] = "assert-ref-snapshot-id", ["ref"] = "main", ["snapshot-id"] = @base.CurrentSnapshotId < 0 ? null : @base.CurrentSnapshotId },
            new JsonObject { ["type"] = "assert-current-schema-id", ["current-schema-id"] = @base.CurrentSchemaId },
            new JsonObject { ["type"] = "assert-last-assigned-field-id", ["last-assigned-field-id"] = @base.LastColumnId },
            new JsonObject { ["type"] = "assert-default-spec-id", ["default-spec-id"] = @base.DefaultSpecId },
        };
        var updates = new JsonArray();
        if (next.PartitionSpecs.Any(s => @base.PartitionSpecs.All(b => b.SpecId != s.SpecId)))
            throw new NotSupportedException("Changing a table's partition spec is not supported.");
        var addedSchemas = next.Schemas.Where(s => @base.Schemas.All(b => b.SchemaId != s.SchemaId)).ToList();
        foreach (var schema in addedSchemas)
            updates.Add(new JsonObject { ["action"] = "add-schema", ["schema"] = JsonNode.Parse(MetadataJson.SchemaJson(schema)), ["last-column-id"] = next.LastColumnId });
        if (next.CurrentSchemaId != @base.CurrentSchemaId)
        {
            // The server numbers added schemas itself; -1 names the one this commit added.
            var id = addedSchemas.Count > 0 && addedSchemas[^1].SchemaId == next.CurrentSchemaId ? -1 : next.CurrentSchemaId;
            updates.Add(new JsonObject { ["action"] = "set-current-schema", ["schema-id"] = id });
        }
        foreach (var snapshot in next.Snapshots.Where(s => @base.Snapshots.All(b => b.SnapshotId != s.SnapshotId)).OrderBy(s => s.SequenceNumber))
            updates.Add(new JsonObject { ["action"] = "add-snapshot", ["snapshot"] = JsonNode.Parse(MetadataJson.SnapshotJson(snapshot)) });
        var removed = @base.Snapshots.Where(b => next.Snapshots.All(s => s.SnapshotId != b.SnapshotId)).Select(b => (JsonNode)b.SnapshotId).ToArray();
        if (removed.Length > 0) updates.Add(new JsonObject { ["action"] = "remove-snapshots", ["snapshot-ids"] = new JsonArray(removed) });
        if (next.CurrentSnapshotId != @base.CurrentSnapshotId)
        {
            updates.Add(next.CurrentSnapshotId >= 0
                ? new JsonObject { ["action"] = "set-snapshot-ref", ["ref-name"] = "main", ["type"] = "branch", ["snapshot-id"] = next.CurrentSnapshotId }
                : new JsonObject { ["action"] = "remove-snapshot-ref", ["ref-name"] = "main" });
        }
        var set = new JsonObject();
        foreach (var (key, value) in next.Properties)
            if (!@base.Properties.TryGetValue(key, out var old) || old != value) set[key] = value;
        if (set.Count > 0) updates.Add(new JsonObject { ["action"] = "set-properties", ["updates"] = set });
        var gone = @base.Properties.Keys.Where(k => !next.Properties.ContainsKey(k)).Select(k => (JsonNode)k).ToArray();
        if (gone.Length > 0) updates.Add(new JsonObject { ["action"] = "remove-properties", ["removals"] = new JsonArray(gone) });
        return new JsonObject { ["requirements"] = requirements, ["updates"] = updates };
    }
}
