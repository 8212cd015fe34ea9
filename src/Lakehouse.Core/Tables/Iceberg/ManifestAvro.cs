using System.Globalization;
using Avro;
using Avro.Generic;

namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>
/// Encodes and decodes manifests and manifest lists: the spec's Avro schemas with their record names
/// (manifest_entry, r2, r102, manifest_file, r508) and field ids.
/// </summary>
internal static class ManifestAvro
{
    private static string AvroTypeOf(TableType type) => type switch
    {
        TableType.Boolean => "\"boolean\"",
        TableType.Int => "\"int\"",
        TableType.Long => "\"long\"",
        TableType.Double => "\"double\"",
        TableType.String => "\"string\"",
        TableType.Binary => "\"bytes\"",
        TableType.Date => """{"type":"int","logicalType":"date"}""",
        TableType.TimestampTz => """{"type":"long","logicalType":"timestamp-micros","adjust-to-utc":true}""",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    private static string MapOf(int fieldId, string name, int keyId, int valueId, string valueType) =>
        "{\"name\":\"" + name + "\",\"type\":[\"null\",{\"type\":\"array\",\"logicalType\":\"map\",\"items\":{\"type\":\"record\",\"name\":\"k" + keyId + "_v" + valueId
        + "\",\"fields\":[{\"name\":\"key\",\"type\":\"int\",\"field-id\":" + keyId + "},{\"name\":\"value\",\"type\":\"" + valueType + "\",\"field-id\":" + valueId
        + "}]}}],\"default\":null,\"field-id\":" + fieldId + "}";

    public static string ManifestSchema(PartitionSpec spec, IReadOnlyList<TableField> fields)
    {
        var partitionFields = string.Join(",", spec.Fields.Select(f =>
            $$"""{"name":"{{f.Name}}","type":["null",{{AvroTypeOf(f.ResultType(fields))}}],"default":null,"field-id":{{f.FieldId}}}"""));
        return $$"""
        {"type":"record","name":"manifest_entry","fields":[
        {"name":"status","type":"int","field-id":0},
        {"name":"snapshot_id","type":["null","long"],"default":null,"field-id":1},
        {"name":"sequence_number","type":["null","long"],"default":null,"field-id":3},
        {"name":"file_sequence_number","type":["null","long"],"default":null,"field-id":4},
        {"name":"data_file","type":{"type":"record","name":"r2","fields":[
        {"name":"content","type":"int","doc":"Contents of the file: 0=data, 1=position deletes, 2=equality deletes","field-id":134},
        {"name":"file_path","type":"string","doc":"Location URI with FS scheme","field-id":100},
        {"name":"file_format","type":"string","doc":"File format name: avro, orc, or parquet","field-id":101},
        {"name":"partition","type":{"type":"record","name":"r102","fields":[{{partitionFields}}]},"doc":"Partition data tuple, schema based on the partition spec","field-id":102},
        {"name":"record_count","type":"long","doc":"Number of records in the file","field-id":103},
        {"name":"file_size_in_bytes","type":"long","doc":"Total file size in bytes","field-id":104},
        {{MapOf(108, "column_sizes", 117, 118, "long")}},
        {{MapOf(109, "value_counts", 119, 120, "long")}},
        {{MapOf(110, "null_value_counts", 121, 122, "long")}},
        {{MapOf(137, "nan_value_counts", 138, 139, "long")}},
        {{MapOf(125, "lower_bounds", 126, 127, "bytes")}},
        {{MapOf(128, "upper_bounds", 129, 130, "bytes")}},
        {"name":"key_metadata","type":["null","bytes"],"default":null,"field-id":131},
        {"name":"split_offsets","type":["null",{"type":"array","items":"long","element-id":133}],"default":null,"field-id":132},
        {"name":"equality_ids","type":["null",{"type":"array","items":"int","element-id":136}],"default":null,"field-id":135},
        {"name":"sort_order_id","type":["null","int"],"default":null,"field-id":140}
        ]},"field-id":2}]}
        """;
    }

    public const string ManifestListSchema = """
        {"type":"record","name":"manifest_file","fields":[
        {"name":"manifest_path","type":"string","doc":"Location URI with FS scheme","field-id":500},
        {"name":"manifest_length","type":"long","doc":"Total file size in bytes","field-id":501},
        {"name":"partition_spec_id","type":"int","doc":"Spec ID used to write","field-id":502},
        {"name":"content","type":"int","doc":"Contents of the manifest: 0=data, 1=deletes","field-id":517},
        {"name":"sequence_number","type":"long","doc":"Sequence number when the manifest was added","field-id":515},
        {"name":"min_sequence_number","type":"long","doc":"Lowest sequence number in the manifest","field-id":516},
        {"name":"added_snapshot_id","type":"long","doc":"Snapshot ID that added the manifest","field-id":503},
        {"name":"added_files_count","type":"int","doc":"Added entry count","field-id":504},
        {"name":"existing_files_count","type":"int","doc":"Existing entry count","field-id":505},
        {"name":"deleted_files_count","type":"int","doc":"Deleted entry count","field-id":506},
        {"name":"added_rows_count","type":"long","doc":"Added rows count","field-id":512},
        {"name":"existing_rows_count","type":"long","doc":"Existing rows count","field-id":513},
        {"name":"deleted_rows_count","type":"long","doc":"Deleted rows count","field-id":514},
        {"name":"partitions","type":["null",{"type":"array","items":{"type":"record","name":"r508","fields":[
        {"name":"contains_null","type":"boolean","doc":"True if any file has a null partition value","field-id":509},
        {"name":"contains_nan","type":["null","boolean"],"doc":"True if any file has a nan partition value","default":null,"field-id":518},
        {"name":"lower_bound","type":["null","bytes"],"doc":"Partition lower bound for all files","default":null,"field-id":510},
        {"name":"upper_bound","type":["null","bytes"],"doc":"Partition upper bound for all files","default":null,"field-id":511}
        ]},"element-id":508}],"doc":"Summary for each partition","default":null,"field-id":507},
        {"name":"key_metadata","type":["null","bytes"],"doc":"Encryption key metadata blob","default":null,"field-id":519}
        ]}
        """;

    public static byte[] WriteManifest(IReadOnlyList<ManifestEntry> entries, IcebergSchema schema, PartitionSpec spec)
    {
        var json = ManifestSchema(spec, schema.Fields);
        var root = AvroContainer.ParseForCodec(json);
        var fileSchema = (RecordSchema)((RecordSchema)root)["data_file"].Schema;
        var partitionSchema = (RecordSchema)fileSchema["partition"].Schema;
        var metadata = new Dictionary<string, string>
        {
            ["schema"] = MetadataJson.SchemaJson(schema),
            ["schema-id"] = schema.SchemaId.ToString(CultureInfo.InvariantCulture),
            ["partition-spec"] = MetadataJson.SpecFieldsJson(spec),
            ["partition-spec-id"] = spec.SpecId.ToString(CultureInfo.InvariantCulture),
            ["format-version"] = "2",
            ["content"] = "data",
        };
        return AvroContainer.Write(json, metadata, entries.Select(e => EntryRecord(e, root, fileSchema, partitionSchema)));
    }

    private static GenericRecord EntryRecord(ManifestEntry e, RecordSchema root, RecordSchema fileSchema, RecordSchema partitionSchema)
    {
        var partition = new GenericRecord(partitionSchema);
        for (var i = 0; i < partitionSchema.Fields.Count; i++) partition.Add(partitionSchema.Fields[i].Name, e.File.Partition[i]);
        var file = new GenericRecord(fileSchema);
        file.Add("content", 0);
        file.Add("file_path", e.File.Path);
        file.Add("file_format", "PARQUET");
        file.Add("partition", partition);
        file.Add("record_count", e.File.RecordCount);
        file.Add("file_size_in_bytes", e.File.FileSizeInBytes);
        file.Add("column_sizes", MapArray(fileSchema, "column_sizes", e.File.ColumnSizes));
        file.Add("value_counts", MapArray(fileSchema, "value_counts", e.File.ValueCounts));
        file.Add("null_value_counts", MapArray(fileSchema, "null_value_counts", e.File.NullValueCounts));
        file.Add("nan_value_counts", null);
        file.Add("lower_bounds", MapArray(fileSchema, "lower_bounds", e.File.LowerBounds));
        file.Add("upper_bounds", MapArray(fileSchema, "upper_bounds", e.File.UpperBounds));
        file.Add("key_metadata", null);
        file.Add("split_offsets", null);
        file.Add("equality_ids", null);
        file.Add("sort_order_id", null);
        var entry = new GenericRecord(root);
        entry.Add("status", e.Status);
        entry.Add("snapshot_id", e.SnapshotId);
        // Added entries inherit their sequence numbers from the manifest list (the spec's inheritance rule).
        entry.Add("sequence_number", e.Status == EntryStatus.Added ? null : e.SequenceNumber);
        entry.Add("file_sequence_number", e.Status == EntryStatus.Added ? null : e.FileSequenceNumber);
        entry.Add("data_file", file);
        return entry;
    }

    private static object[] MapArray<T>(RecordSchema fileSchema, string field, IReadOnlyDictionary<int, T> values)
    {
        var union = (UnionSchema)fileSchema[field].Schema;
        var array = (ArraySchema)union.Schemas.First(s => s.Tag == Schema.Type.Array);
        var item = (RecordSchema)array.ItemSchema;
        return values.OrderBy(kv => kv.Key).Select(kv =>
        {
            var r = new GenericRecord(item);
            r.Add("key", kv.Key);
            r.Add("value", kv.Value);
            return (object)r;
        }).ToArray();
    }

    /// <summary>Reads a manifest's entries; added entries inherit the manifest's sequence number.</summary>
    public static IReadOnlyList<ManifestEntry> ReadManifest(byte[] bytes, ManifestFileInfo manifest)
    {
        var (_, records) = AvroContainer.Read(bytes, manifest.Path);
        return records.Select(r =>
        {
            var status = (int)r["status"];
            var file = (GenericRecord)r["data_file"];
            var content = (int)file["content"];
            if (content != 0) throw new InvalidDataException($"Manifest {manifest.Path} lists delete files (content {content}); this lakehouse writes copy-on-write tables only.");
            var partition = (GenericRecord)file["partition"];
            var values = new object?[partition.Schema.Fields.Count];
            for (var i = 0; i < values.Length; i++) values[i] = partition.GetValue(i);
            var info = new DataFileInfo(
                (string)file["file_path"], values, (long)file["record_count"], (long)file["file_size_in_bytes"],
                ReadMap<long>(file, "column_sizes"), ReadMap<long>(file, "value_counts"), ReadMap<long>(file, "null_value_counts"),
                ReadMap<byte[]>(file, "lower_bounds"), ReadMap<byte[]>(file, "upper_bounds"));
            var sequence = r["sequence_number"] as long? ?? manifest.SequenceNumber;
            var fileSequence = r["file_sequence_number"] as long? ?? manifest.SequenceNumber;
            var snapshotId = r["snapshot_id"] as long? ?? manifest.AddedSnapshotId;
            return new ManifestEntry(status, snapshotId, sequence, fileSequence, info);
        }).ToList();
    }

    private static Dictionary<int, T> ReadMap<T>(GenericRecord file, string field)
    {
        var result = new Dictionary<int, T>();
        if (file.TryGetValue(field, out var value) && value is object[] items)
            foreach (GenericRecord item in items) result[(int)item["key"]] = (T)item["value"];
        return result;
    }

    public static byte[] WriteManifestList(IReadOnlyList<ManifestFileInfo> manifests, long snapshotId, long? parentId, long sequenceNumber)
    {
        var root = AvroContainer.ParseForCodec(ManifestListSchema);
        var partitionsArray = (ArraySchema)((UnionSchema)root["partitions"].Schema).Schemas.First(s => s.Tag == Schema.Type.Array);
        var summarySchema = (RecordSchema)partitionsArray.ItemSchema;
        var metadata = new Dictionary<string, string>
        {
            ["snapshot-id"] = snapshotId.ToString(CultureInfo.InvariantCulture),
            ["parent-snapshot-id"] = parentId?.ToString(CultureInfo.InvariantCulture) ?? "null",
            ["sequence-number"] = sequenceNumber.ToString(CultureInfo.InvariantCulture),
            ["format-version"] = "2",
        };
        return AvroContainer.Write(ManifestListSchema, metadata, manifests.Select(m =>
        {
            var r = new GenericRecord(root);
            r.Add("manifest_path", m.Path);
            r.Add("manifest_length", m.Length);
            r.Add("partition_spec_id", m.SpecId);
            r.Add("content", 0);
            r.Add("sequence_number", m.SequenceNumber);
            r.Add("min_sequence_number", m.MinSequenceNumber);
            r.Add("added_snapshot_id", m.AddedSnapshotId);
            r.Add("added_files_count", m.AddedFiles);
            r.Add("existing_files_count", m.ExistingFiles);
            r.Add("deleted_files_count", m.DeletedFiles);
            r.Add("added_rows_count", m.AddedRows);
            r.Add("existing_rows_count", m.ExistingRows);
            r.Add("deleted_rows_count", m.DeletedRows);
            r.Add("partitions", m.Partitions.Select(p =>
            {
                var s = new GenericRecord(summarySchema);
                s.Add("contains_null", p.ContainsNull);
                s.Add("contains_nan", null);
                s.Add("lower_bound", p.LowerBound);
                s.Add("upper_bound", p.UpperBound);
                return (object)s;
            }).ToArray());
            r.Add("key_metadata", null);
            return r;
        }));
    }

    public static IReadOnlyList<ManifestFileInfo> ReadManifestList(byte[] bytes, string source)
    {
        var (_, records) = AvroContainer.Read(bytes, source);
        return records.Select(r => new ManifestFileInfo(
            (string)r["manifest_path"], (long)r["manifest_length"], (int)r["partition_spec_id"],
            (long)r["sequence_number"], (long)r["min_sequence_number"], (long)r["added_snapshot_id"],
            (int)r["added_files_count"], (int)r["existing_files_count"], (int)r["deleted_files_count"],
            (long)r["added_rows_count"], (long)r["existing_rows_count"], (long)r["deleted_rows_count"],
            r["partitions"] is object[] parts
                ? parts.Cast<GenericRecord>().Select(p => new PartitionFieldSummary((bool)p["contains_null"], p["lower_bound"] as byte[], p["upper_bound"] as byte[])).ToList()
                : [])).ToList();
    }
}
