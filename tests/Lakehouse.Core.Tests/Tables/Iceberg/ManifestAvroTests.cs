using System.Text.Json;
using Avro.File;
using Avro.Generic;
using static Lakehouse.Core.Tests.Tables.TableTestLake;

namespace Lakehouse.Core.Tests.Tables.Iceberg;

/// <summary>The manifests are standard Avro container files with the spec's record names, field ids and map annotations.</summary>
public sealed class ManifestAvroTests : IDisposable
{
    private readonly TableTestLake _lake = new();

    public void Dispose() => _lake.Dispose();

    [Fact]
    public async Task ManifestsAndManifestList_ReadWithAStockAvroReader_AndCarryTheSpecNames()
    {
        var table = await _lake.CreateEventsAsync();
        var commit = await AppendAsync(table, Enumerable.Range(1, 12).Select(i => Row(i, i % 2 == 0 ? "erin" : "pebble", new DateOnly(2024, 5, 1))).ToList());
        var metadataDir = _lake.Store.PathOf("events/metadata");

        var listPath = Directory.GetFiles(metadataDir, $"snap-{commit.SnapshotId}-*.avro").Single();
        using var list = DataFileReader<GenericRecord>.OpenReader(listPath);
        Assert.Equal(commit.SnapshotId.ToString(System.Globalization.CultureInfo.InvariantCulture), list.GetMetaString("snapshot-id"));
        Assert.Equal("2", list.GetMetaString("format-version"));
        var manifests = list.NextEntries.ToList();
        var manifest = Assert.Single(manifests);
        Assert.Equal("manifest_file", manifest.Schema.Name);
        var manifestPath = new Uri((string)manifest["manifest_path"]).LocalPath;
        Assert.Equal(new FileInfo(manifestPath).Length, (long)manifest["manifest_length"]);
        Assert.Equal(2, (int)manifest["added_files_count"]);
        Assert.Equal(12L, (long)manifest["added_rows_count"]);
        var summaries = (object[])manifest["partitions"];
        Assert.Equal("r508", ((GenericRecord)summaries[0]).Schema.Name);
        Assert.Equal("erin"u8.ToArray(), (byte[])((GenericRecord)summaries[0])["lower_bound"]);
        Assert.Equal("pebble"u8.ToArray(), (byte[])((GenericRecord)summaries[0])["upper_bound"]);

        using var reader = DataFileReader<GenericRecord>.OpenReader(manifestPath);
        Assert.Equal("data", reader.GetMetaString("content"));
        Assert.Equal("[{\"name\":\"course\",\"transform\":\"identity\",\"source-id\":2,\"field-id\":1000},{\"name\":\"day\",\"transform\":\"identity\",\"source-id\":3,\"field-id\":1001}]",
            reader.GetMetaString("partition-spec"));
        using (var schema = JsonDocument.Parse(reader.GetMetaString("schema")))
            Assert.Equal(8, schema.RootElement.GetProperty("fields").GetArrayLength());
        var entries = reader.NextEntries.ToList();
        Assert.Equal(2, entries.Count);
        var entry = entries[0];
        Assert.Equal("manifest_entry", entry.Schema.Name);
        Assert.Equal(1, (int)entry["status"]);
        Assert.Equal(commit.SnapshotId, (long)entry["snapshot_id"]);
        var dataFile = (GenericRecord)entry["data_file"];
        Assert.Equal("r2", dataFile.Schema.Name);
        Assert.Equal("PARQUET", (string)dataFile["file_format"]);
        var partition = (GenericRecord)dataFile["partition"];
        Assert.Equal("r102", partition.Schema.Name);
        Assert.Equal(new FileInfo(new Uri((string)dataFile["file_path"]).LocalPath).Length, (long)dataFile["file_size_in_bytes"]);
        Assert.Equal(8, ((object[])dataFile["value_counts"]).Length);

        // The header keeps the schema as written: Apache.Avro would drop the map annotation if it re-serialized it.
        var header = System.Text.Encoding.UTF8.GetString(await File.ReadAllBytesAsync(manifestPath));
        Assert.Contains("\"logicalType\":\"map\"", header);
        Assert.Contains("\"name\":\"k126_v127\"", header);
        Assert.Contains("\"name\":\"partition\",\"type\":{\"type\":\"record\",\"name\":\"r102\"", header);
        Assert.Contains("\"name\":\"day\",\"type\":[\"null\",{\"type\":\"int\",\"logicalType\":\"date\"}],\"default\":null,\"field-id\":1001", header);
    }
}
