using System.Text;
using System.Text.Json;

namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>Writes and reads table metadata JSON, schemas and partition specs exactly as the Iceberg spec names them.</summary>
internal static class MetadataJson
{
    public static byte[] Write(TableMetadata m)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("format-version", 2);
            w.WriteString("table-uuid", m.TableUuid);
            w.WriteString("location", m.Location);
            w.WriteNumber("last-sequence-number", m.LastSequenceNumber);
            w.WriteNumber("last-updated-ms", m.LastUpdatedMs);
            w.WriteNumber("last-column-id", m.LastColumnId);
            w.WriteNumber("current-schema-id", m.CurrentSchemaId);
            w.WriteStartArray("schemas");
            foreach (var s in m.Schemas) WriteSchema(w, s);
            w.WriteEndArray();
            w.WriteNumber("default-spec-id", m.DefaultSpecId);
            w.WriteStartArray("partition-specs");
            foreach (var spec in m.PartitionSpecs)
            {
                w.WriteStartObject();
                w.WriteNumber("spec-id", spec.SpecId);
                w.WritePropertyName("fields");
                WriteSpecFields(w, spec);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("last-partition-id", m.LastPartitionId);
            w.WriteNumber("default-sort-order-id", 0);
            w.WriteStartArray("sort-orders");
            w.WriteStartObject();
            w.WriteNumber("order-id", 0);
            w.WriteStartArray("fields");
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartObject("properties");
            foreach (var (k, v) in m.Properties) w.WriteString(k, v);
            w.WriteEndObject();
            w.WriteNumber("current-snapshot-id", m.CurrentSnapshotId);
            w.WriteStartObject("refs");
            if (m.CurrentSnapshotId >= 0)
            {
                w.WriteStartObject("main");
                w.WriteNumber("snapshot-id", m.CurrentSnapshotId);
                w.WriteString("type", "branch");
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteStartArray("snapshots");
            foreach (var s in m.Snapshots) WriteSnapshot(w, s);
            w.WriteEndArray();
            w.WriteStartArray("snapshot-log");
            foreach (var e in m.SnapshotLog)
            {
                w.WriteStartObject();
                w.WriteNumber("timestamp-ms", e.TimestampMs);
                w.WriteNumber("snapshot-id", e.SnapshotId);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("metadata-log");
            foreach (var e in m.MetadataLog)
            {
                w.WriteStartObject();
                w.WriteNumber("timestamp-ms", e.TimestampMs);
                w.WriteString("metadata-file", e.MetadataFile);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public static void WriteSnapshot(Utf8JsonWriter w, SnapshotInfo s)
    {
        w.WriteStartObject();
        w.WriteNumber("snapshot-id", s.SnapshotId);
        if (s.ParentSnapshotId is { } parent) w.WriteNumber("parent-snapshot-id", parent);
        w.WriteNumber("sequence-number", s.SequenceNumber);
        w.WriteNumber("timestamp-ms", s.TimestampMs);
        w.WriteString("manifest-list", s.ManifestList);
        w.WriteNumber("schema-id", s.SchemaId);
        w.WriteStartObject("summary");
        foreach (var (k, v) in s.Summary) w.WriteString(k, v);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void WriteSchema(Utf8JsonWriter w, IcebergSchema schema)
    {
        w.WriteStartObject();
        w.WriteString("type", "struct");
        w.WriteNumber("schema-id", schema.SchemaId);
        w.WriteStartArray("fields");
        foreach (var f in schema.Fields)
        {
            w.WriteStartObject();
            w.WriteNumber("id", f.Id);
            w.WriteString("name", f.Name);
            w.WriteBoolean("required", f.Required);
            w.WriteString("type", IcebergTypes.NameOf(f.Type));
            if (f.Doc is not null) w.WriteString("doc", f.Doc);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static string SchemaJson(IcebergSchema schema) => ToJson(w => WriteSchema(w, schema));

    public static string SnapshotJson(SnapshotInfo snapshot) => ToJson(w => WriteSnapshot(w, snapshot));

    /// <summary>The partition spec's fields array only (what a manifest's <c>partition-spec</c> header holds).</summary>
    public static string SpecFieldsJson(PartitionSpec spec) => ToJson(w => WriteSpecFields(w, spec));

    private static void WriteSpecFields(Utf8JsonWriter w, PartitionSpec spec)
    {
        w.WriteStartArray();
        foreach (var f in spec.Fields)
        {
            w.WriteStartObject();
            w.WriteString("name", f.Name);
            w.WriteString("transform", f.TransformName);
            w.WriteNumber("source-id", f.SourceId);
            w.WriteNumber("field-id", f.FieldId);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static string ToJson(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer)) write(w);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static TableMetadata Read(ReadOnlySpan<byte> json, string source)
    {
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray());
            var r = doc.RootElement;
            var version = r.GetProperty("format-version").GetInt32();
            if (version != 2) throw new InvalidDataException($"format-version {version} (only 2 is supported)");
            return new TableMetadata(
                r.GetProperty("table-uuid").GetString()!,
                r.GetProperty("location").GetString()!,
                r.GetProperty("last-sequence-number").GetInt64(),
                r.GetProperty("last-updated-ms").GetInt64(),
                r.GetProperty("last-column-id").GetInt32(),
                r.GetProperty("schemas").EnumerateArray().Select(ReadSchema).ToList(),
                r.GetProperty("current-schema-id").GetInt32(),
                r.GetProperty("partition-specs").EnumerateArray().Select(s => new PartitionSpec(
                    s.GetProperty("spec-id").GetInt32(),
                    s.GetProperty("fields").EnumerateArray().Select(f => new PartitionSpecField(
                        f.GetProperty("source-id").GetInt32(), f.GetProperty("field-id").GetInt32(), f.GetProperty("name").GetString()!,
                        f.GetProperty("transform").GetString() switch
                        {
                            "identity" => PartitionTransform.Identity,
                            "day" => PartitionTransform.Day,
                            var t => throw new InvalidDataException($"partition transform '{t}' is not supported"),
                        })).ToList())).ToList(),
                r.GetProperty("default-spec-id").GetInt32(),
                r.GetProperty("last-partition-id").GetInt32(),
                r.TryGetProperty("current-snapshot-id", out var cur) && cur.ValueKind == JsonValueKind.Number ? cur.GetInt64() : -1,
                r.TryGetProperty("snapshots", out var snaps)
                    ? snaps.EnumerateArray().Select(s => new SnapshotInfo(
                        s.GetProperty("snapshot-id").GetInt64(),
                        s.TryGetProperty("parent-snapshot-id", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetInt64() : null,
                        s.GetProperty("sequence-number").GetInt64(),
                        s.GetProperty("timestamp-ms").GetInt64(),
                        s.GetProperty("manifest-list").GetString()!,
                        s.TryGetProperty("schema-id", out var sid) ? sid.GetInt32() : 0,
                        StringMap(s.GetProperty("summary")))).ToList()
                    : [],
                r.TryGetProperty("snapshot-log", out var slog)
                    ? slog.EnumerateArray().Select(e => new SnapshotLogEntry(e.GetProperty("timestamp-ms").GetInt64(), e.GetProperty("snapshot-id").GetInt64())).ToList()
                    : [],
                r.TryGetProperty("metadata-log", out var mlog)
                    ? mlog.EnumerateArray().Select(e => new MetadataLogEntry(e.GetProperty("timestamp-ms").GetInt64(), e.GetProperty("metadata-file").GetString()!)).ToList()
                    : [],
                r.TryGetProperty("properties", out var props) ? StringMap(props) : new Dictionary<string, string>());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or InvalidDataException)
        {
            throw new InvalidDataException($"Table metadata {source} is not valid Iceberg v2 metadata: {e.Message}", e);
        }
    }

    private static IcebergSchema ReadSchema(JsonElement s) => new(
        s.TryGetProperty("schema-id", out var id) ? id.GetInt32() : 0,
        s.GetProperty("fields").EnumerateArray().Select(f => new TableField(
            f.GetProperty("id").GetInt32(), f.GetProperty("name").GetString()!,
            IcebergTypes.Parse(f.GetProperty("type").GetString()!), f.GetProperty("required").GetBoolean(),
            f.TryGetProperty("doc", out var doc) ? doc.GetString() : null)).ToList());

    private static Dictionary<string, string> StringMap(JsonElement e) =>
        e.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());
}
