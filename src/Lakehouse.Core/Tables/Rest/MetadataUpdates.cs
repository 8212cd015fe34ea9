using System.Text.Json.Nodes;
using static Lakehouse.Core.Tables.Rest.RestJson;

namespace Lakehouse.Core.Tables.Rest;

/// <summary>
/// Applies a commit's updates to table metadata JSON, in order, the way Iceberg's TableMetadata.Builder does: ids of added
/// schemas, specs and sort orders are assigned here (an equal one is reused), and <c>-1</c> means "the last one added".
/// The metadata stays JSON so fields this lakehouse does not model (nested types, statistics, other transforms) survive.
/// </summary>
internal static class MetadataUpdates
{
    public static void Apply(JsonObject m, JsonArray updates, long nowMs)
    {
        int? lastSchema = null, lastSpec = null, lastOrder = null;
        var added = new HashSet<long>();
        foreach (var node in updates)
        {
            var u = node as JsonObject ?? throw Bad("Each update must be an object.");
            var action = String(u, "action");
            switch (action)
            {
                case "assign-uuid":
                    var uuid = String(u, "uuid");
                    if (OptionalString(m, "table-uuid") is { } had && !string.Equals(had, uuid, StringComparison.OrdinalIgnoreCase))
                        throw Bad($"Cannot assign UUID {uuid}: the table already has {had}.");
                    m["table-uuid"] = uuid;
                    break;
                case "upgrade-format-version":
                    var version = Int(u, "format-version");
                    var now = (int)(OptionalLong(m, "format-version") ?? 1);
                    if (version < now) throw Bad($"Cannot downgrade format-version {now} to {version}.");
                    if (version > 2) throw Bad($"format-version {version} is not supported; this catalog keeps format-version 2 tables.");
                    m["format-version"] = version;
                    break;
                case "add-schema":
                    lastSchema = AddWithId(m, "schemas", "schema-id", Object(u, "schema"), s => s["fields"], 0);
                    m["last-column-id"] = Math.Max(Math.Max(OptionalLong(m, "last-column-id") ?? 0, OptionalLong(u, "last-column-id") ?? 0),
                        HighestId(Array(m, "schemas").OfType<JsonObject>().First(s => Long(s, "schema-id") == lastSchema)));
                    break;
                case "set-current-schema":
                    m["current-schema-id"] = Resolve(m, "schemas", "schema-id", Int(u, "schema-id"), lastSchema, "schema");
                    break;
                case "add-spec":
                    var spec = (JsonObject)Object(u, "spec").DeepClone();
                    var lastPartition = OptionalLong(m, "last-partition-id") ?? 999;
                    foreach (var field in ArrayOrEmpty(spec, "fields").OfType<JsonObject>())
                        if (OptionalLong(field, "field-id") is null) field["field-id"] = ++lastPartition;
                    lastSpec = AddWithId(m, "partition-specs", "spec-id", spec, s => s["fields"], 0);
                    var highest = ArrayOrEmpty(spec, "fields").OfType<JsonObject>().Select(f => Long(f, "field-id")).DefaultIfEmpty(999).Max();
                    m["last-partition-id"] = Math.Max(lastPartition, highest);
                    break;
                case "set-default-spec":
                    m["default-spec-id"] = Resolve(m, "partition-specs", "spec-id", Int(u, "spec-id"), lastSpec, "partition spec");
                    break;
                case "add-sort-order":
                    var order = Object(u, "sort-order");
                    // The unsorted order is always id 0; sorted orders count from 1.
                    lastOrder = AddWithId(m, "sort-orders", "order-id", order, s => s["fields"], ArrayOrEmpty(order, "fields").Count == 0 ? 0 : 1);
                    break;
                case "set-default-sort-order":
                    m["default-sort-order-id"] = Resolve(m, "sort-orders", "order-id", Int(u, "sort-order-id"), lastOrder, "sort order");
                    break;
                case "add-snapshot":
                    AddSnapshot(m, (JsonObject)Object(u, "snapshot").DeepClone(), added);
                    break;
                case "set-snapshot-ref":
                    SetRef(m, u, added, nowMs);
                    break;
                case "remove-snapshots":
                    RemoveSnapshots(m, ArrayOrEmpty(u, "snapshot-ids").Select(n => AsLong(n) ?? throw Bad("snapshot-ids must hold whole numbers.")).ToHashSet());
                    break;
                case "remove-snapshot-ref":
                    var refName = String(u, "ref-name");
                    (m["refs"] as JsonObject)?.Remove(refName);
                    if (refName == "main") m["current-snapshot-id"] = -1L;
                    break;
                case "set-location":
                    m["location"] = String(u, "location").TrimEnd('/');
                    break;
                case "set-properties":
                    var properties = Properties(m);
                    foreach (var (key, value) in StringMap(u, "updates")) properties[key] = value;
                    break;
                case "remove-properties":
                    var existing = Properties(m);
                    foreach (var key in Strings(u, "removals")) existing.Remove(key);
                    break;
                case "set-statistics":
                    var statistics = (JsonObject)Object(u, "statistics").DeepClone();
                    ReplaceBySnapshot(m, "statistics", OptionalLong(u, "snapshot-id") ?? Long(statistics, "snapshot-id"), statistics);
                    break;
                case "remove-statistics":
                    ReplaceBySnapshot(m, "statistics", Long(u, "snapshot-id"), null);
                    break;
                case "set-partition-statistics":
                    var partitionStatistics = (JsonObject)Object(u, "partition-statistics").DeepClone();
                    ReplaceBySnapshot(m, "partition-statistics", Long(partitionStatistics, "snapshot-id"), partitionStatistics);
                    break;
                case "remove-partition-statistics":
                    ReplaceBySnapshot(m, "partition-statistics", Long(u, "snapshot-id"), null);
                    break;
                case "remove-partition-specs":
                    RemoveById(m, "partition-specs", "spec-id", ArrayOrEmpty(u, "spec-ids"), OptionalLong(m, "default-spec-id"), "the default partition spec");
                    break;
                case "remove-schemas":
                    RemoveById(m, "schemas", "schema-id", ArrayOrEmpty(u, "schema-ids"), OptionalLong(m, "current-schema-id"), "the current schema");
                    break;
                default:
                    throw Bad($"Unknown or unsupported update action '{action}'.");
            }
        }
    }

    /// <summary>Adds the item with a fresh id (the highest so far + 1, at least <paramref name="firstId"/>), or reuses an equal item's id.</summary>
    private static int AddWithId(JsonObject m, string listName, string idName, JsonObject item, Func<JsonObject, JsonNode?> content, int firstId)
    {
        if (m[listName] is not JsonArray list) m[listName] = list = [];
        var wanted = content(item)?.ToJsonString() ?? "";
        foreach (var existing in list.OfType<JsonObject>())
            if ((content(existing)?.ToJsonString() ?? "") == wanted) return Int(existing, idName);
        var id = Math.Max(firstId, list.OfType<JsonObject>().Select(e => Int(e, idName) + 1).DefaultIfEmpty(firstId).Max());
        var copy = (JsonObject)item.DeepClone();
        copy[idName] = id;
        list.Add(copy);
        return id;
    }

    private static int Resolve(JsonObject m, string listName, string idName, int id, int? lastAdded, string what)
    {
        if (id == -1) id = lastAdded ?? throw Bad($"-1 names the last {what} added, but this commit added none.");
        if (!ArrayOrEmpty(m, listName).OfType<JsonObject>().Any(e => Long(e, idName) == id)) throw Bad($"There is no {what} with id {id}.");
        return id;
    }

    private static void AddSnapshot(JsonObject m, JsonObject snapshot, HashSet<long> added)
    {
        var id = Long(snapshot, "snapshot-id");
        if (m["snapshots"] is not JsonArray snapshots) m["snapshots"] = snapshots = [];
        if (snapshots.OfType<JsonObject>().Any(s => Long(s, "snapshot-id") == id)) throw Bad($"Snapshot {id} already exists.");
        var lastSequence = OptionalLong(m, "last-sequence-number") ?? 0;
        var sequence = OptionalLong(snapshot, "sequence-number") ?? 0;
        if (sequence <= lastSequence && snapshot["parent-snapshot-id"] is not null)
            throw Bad($"Cannot add snapshot {id} with sequence number {sequence}: the table is at sequence number {lastSequence}.");
        snapshots.Add(snapshot);
        added.Add(id);
        m["last-sequence-number"] = Math.Max(lastSequence, sequence);
    }

    private static void SetRef(JsonObject m, JsonObject u, HashSet<long> added, long nowMs)
    {
        var name = String(u, "ref-name");
        var type = String(u, "type");
        if (type is not ("branch" or "tag")) throw Bad($"Ref type '{type}' is neither branch nor tag.");
        if (name == "main" && type != "branch") throw Bad("main must be a branch.");
        var id = Long(u, "snapshot-id");
        var snapshot = ArrayOrEmpty(m, "snapshots").OfType<JsonObject>().FirstOrDefault(s => Long(s, "snapshot-id") == id)
                       ?? throw Bad($"Cannot set {name} to unknown snapshot {id}.");
        var reference = new JsonObject { ["snapshot-id"] = id, ["type"] = type };
        foreach (var key in new[] { "min-snapshots-to-keep", "max-snapshot-age-ms", "max-ref-age-ms" })
            if (u[key] is { } value) reference[key] = value.DeepClone();
        if (m["refs"] is not JsonObject refs) m["refs"] = refs = [];
        refs[name] = reference;
        if (name != "main" || OptionalLong(m, "current-snapshot-id") == id) return;
        m["current-snapshot-id"] = id;
        if (m["snapshot-log"] is not JsonArray log) m["snapshot-log"] = log = [];
        // A snapshot added by this commit is logged at its own time; moving main back to an old one is logged now.
        var at = added.Contains(id) ? Long(snapshot, "timestamp-ms") : nowMs;
        log.Add(new JsonObject { ["timestamp-ms"] = at, ["snapshot-id"] = id });
    }

    private static void RemoveSnapshots(JsonObject m, HashSet<long> ids)
    {
        if (m["snapshots"] is JsonArray snapshots)
            foreach (var s in snapshots.OfType<JsonObject>().Where(s => ids.Contains(Long(s, "snapshot-id"))).ToList()) snapshots.Remove(s);
        if (m["refs"] is JsonObject refs)
            foreach (var (name, _) in refs.Where(r => r.Value is JsonObject o && ids.Contains(Long(o, "snapshot-id"))).ToList()) refs.Remove(name);
        if (OptionalLong(m, "current-snapshot-id") is { } current && ids.Contains(current)) m["current-snapshot-id"] = -1L;
        if (m["snapshot-log"] is JsonArray log)
            foreach (var e in log.OfType<JsonObject>().Where(e => ids.Contains(Long(e, "snapshot-id"))).ToList()) log.Remove(e);
        foreach (var list in new[] { "statistics", "partition-statistics" })
            if (m[list] is JsonArray stats)
                foreach (var e in stats.OfType<JsonObject>().Where(e => ids.Contains(Long(e, "snapshot-id"))).ToList()) stats.Remove(e);
    }

    private static void ReplaceBySnapshot(JsonObject m, string listName, long snapshotId, JsonObject? replacement)
    {
        if (m[listName] is not JsonArray list) m[listName] = list = [];
        foreach (var e in list.OfType<JsonObject>().Where(e => Long(e, "snapshot-id") == snapshotId).ToList()) list.Remove(e);
        if (replacement is not null) list.Add(replacement);
    }

    private static void RemoveById(JsonObject m, string listName, string idName, JsonArray ids, long? keep, string what)
    {
        var remove = ids.Select(n => AsLong(n) ?? throw Bad($"{idName}s must be whole numbers.")).ToHashSet();
        if (keep is { } k && remove.Contains(k)) throw Bad($"Cannot remove {what} ({idName} {k}).");
        if (m[listName] is JsonArray list)
            foreach (var e in list.OfType<JsonObject>().Where(e => remove.Contains(Long(e, idName))).ToList()) list.Remove(e);
    }

    private static JsonObject Properties(JsonObject m)
    {
        if (m["properties"] is not JsonObject properties) m["properties"] = properties = [];
        return properties;
    }

    /// <summary>The highest field id anywhere in a schema, nested fields, list elements and map keys and values included.</summary>
    public static long HighestId(JsonNode? node) => node switch
    {
        JsonObject o => new[] { "id", "element-id", "key-id", "value-id" }.Select(k => AsLong(o[k]) ?? 0)
            .Concat(o.Where(p => p.Value is JsonObject or JsonArray).Select(p => HighestId(p.Value))).DefaultIfEmpty(0).Max(),
        JsonArray a => a.Select(HighestId).DefaultIfEmpty(0).Max(),
        _ => 0,
    };
}
