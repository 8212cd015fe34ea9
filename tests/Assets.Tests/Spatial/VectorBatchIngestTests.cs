using System.Security.Cryptography;
using System.Text.Json;
using DuckDB.NET.Data;
using Lakehouse.Core.Config;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Quality;
using Lakehouse.Core.Tables;
using Lakehouse.Core.Tables.Catalog;
using Microsoft.Extensions.Time.Testing;
using TmLakehouse.Assets.Spatial;
using TmLakehouse.Assets.Spatial.Output;
using TmLakehouse.Assets.Spatial.Recipes;
using TmLakehouse.Assets.Tests.Fakes;
using Lakehouse.Core.Instance;

namespace Assets.Tests.Spatial;

/// <summary>
/// The first "done when", embedded: a GeoJSON in EPSG:3857 and a zipped Shapefile give a spatial table in lon/lat whose
/// files are GeoParquet (read back with DuckDB), with a metadata document carrying the files' SHA-256; a bad file commits nothing.
/// </summary>
public sealed class VectorBatchIngestTests : IDisposable
{
    private readonly SpatialFiles _files = new();
    private readonly TestLake _lake = new(catalog: lake => TableCatalogs.Sqlite(Path.Combine(lake.Home, "catalog.db"), lake.Objects, TimeProvider.System));
    private readonly VectorBatchIngest _ingest;

    public VectorBatchIngestTests() =>
        _ingest = new VectorBatchIngest(_lake.Resources, new InProcessVectorEngine(), new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero)));

    private IObjectStoreProvider _objects => _lake.Objects;
    private ITableCatalog _catalog => _lake.Catalog;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _lake.Dispose();
        _files.Dispose();
    }

    private static SpatialBatch Batch(string batchId, IReadOnlyList<SpatialFile> files, string? title = null, string? @abstract = null) =>
        new(batchId, "ingest_vector", files) { Title = title, Abstract = @abstract, Uploader = "ops", Metadata = """{"course_id":"erinhills"}""" };

    /// <summary>Reads a table's files with DuckDB (an independent GeoParquet reader): rows, and each file's `geo` footer key.</summary>
    private static async Task<(List<(string File, int Hole, int Section, double XMin, double YMax, string Type)> Rows, List<JsonElement> Geo)> ReadWithDuckDbAsync(IEnumerable<string> paths)
    {
        var list = string.Join(", ", paths.Select(p => $"'{p}'"));
        await using var connection = new DuckDBConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT source_file, json_extract(properties, '$.hole')::INT, json_extract(properties, '$.section')::INT, bbox.xmin, bbox.ymax, typeof(geometry) FROM read_parquet([{list}])";
        var rows = new List<(string File, int Hole, int Section, double XMin, double YMax, string Type)>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                rows.Add((reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetDouble(3), reader.GetDouble(4), reader.GetString(5)));
        command.CommandText = $"SELECT decode(value) FROM parquet_kv_metadata([{list}]) WHERE decode(key) = 'geo'";
        var geo = new List<JsonElement>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                geo.Add(JsonDocument.Parse(reader.GetString(0)).RootElement.Clone());
        return (rows, geo);
    }

    private IReadOnlyList<SpatialFile> TwoFiles() =>
    [
        new("b1/webmercator.geojson", _files.GeoJson("webmercator.geojson", p => (SpatialFiles.MercatorX(p.X), SpatialFiles.MercatorY(p.Y))), "GeoJSON", "EPSG:3857"),
        new("b1/sections.zip", _files.ZippedShapefile("sections", 3857), "Shapefile", null),
    ];

    [Fact]
    public async Task GeoJsonIn3857_AndAZippedShapefile_GiveTwoLonLatGeoParquetTables_MetadataDocuments_AndLedgerRowsWithSha256()
    {
        var files = TwoFiles();

        var result = await _ingest.RunAsync(Batch("b1", files, "Erin Hills sections", "course sections"), "run-7", default);

        Assert.Equal(["spatial.sections", "spatial.webmercator"], result.Datasets.Select(d => d.Table.ToString()).Order());
        foreach (var dataset in result.Datasets)
        {
            var table = (await _catalog.LoadAsync(dataset.Table, default))!;
            var paths = (await table.FilesAsync(null, default)).Select(f => new Uri(f.Path).LocalPath).ToList();
            var (rows, geo) = await ReadWithDuckDbAsync(paths);

            Assert.Equal(6, rows.Count);
            Assert.Equal(6, dataset.Commits.Single().AddedRows);
            foreach (var row in rows)
            {
                var ring = SpatialFiles.Sections.Single(s => s.Hole == row.Hole && s.Section == row.Section).Ring;
                Assert.Equal(ring.Min(p => p.X), row.XMin, 1e-9);
                Assert.Equal(ring.Max(p => p.Y), row.YMax, 1e-9);
                Assert.Equal("GEOMETRY('OGC:CRS84')", row.Type);
            }
            var key = Assert.Single(geo);
            Assert.Equal("geometry", key.GetProperty("primary_column").GetString());
            var column = key.GetProperty("columns").GetProperty("geometry");
            Assert.Equal("WKB", column.GetProperty("encoding").GetString());
            Assert.Equal(["Polygon"], column.GetProperty("geometry_types").EnumerateArray().Select(t => t.GetString()));
            Assert.False(column.TryGetProperty("crs", out _));
            Assert.Equal(-88.05, column.GetProperty("bbox")[0].GetDouble(), 1e-9);
            Assert.Equal("bbox", column.GetProperty("covering").GetProperty("bbox").GetProperty("xmin")[0].GetString());

            // Ledger: the document, then every data file with its SHA-256 (recomputed here from the bytes in the bucket), each row
            // written before its object, which carries the row's id.
            var ledger = await _lake.Ledger.ListAsync($"spatial/{dataset.Table.Name}/batch_id=b1", default);
            Assert.Equal([LedgerFormats.Iso19115, LedgerFormats.GeoParquet], ledger.Select(e => e.Format));
            Assert.Equal(paths, ledger.Skip(1).Select(e => ((LocalObjectStore)_objects.For("spatial")).PathOf(e.Key)));
            foreach (var entry in ledger)
            {
                var path = ((LocalObjectStore)_objects.For("spatial")).PathOf(entry.Key);
                var stat = (await _objects.For("spatial").StatAsync(entry.Key, default))!;
                Assert.Equal(entry.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), stat.Metadata[LedgerObjectMetadata.LedgerId]);
                Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), entry.Sha256);
                Assert.Equal(("spatial", "b1", "ops", "ingest_vector", "EPSG:4326"), (entry.Layer, entry.BatchId, entry.Uploader, entry.Intent, entry.Crs));
                Assert.Equal(-88.05, entry.Bbox!.Value.MinX, 1e-9);
                Assert.Equal(6, entry.RowCount);
            }
        }

        var sectionsKey = result.Datasets.Single(d => d.Table.Name == "sections").MetadataKey;
        await using var stored = await _objects.For("spatial").OpenReadAsync(sectionsKey, default);
        using var json = await JsonDocument.ParseAsync(stored);
        var doc = json.RootElement;
        Assert.Equal("Erin Hills sections", doc.GetProperty("identification").GetProperty("title").GetString());
        Assert.Equal(6, doc.GetProperty("feature_count").GetInt64());
        var extent = doc.GetProperty("extent").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(-88.05, extent[0], 1e-9);
        Assert.Equal(43.692, extent[3], 1e-9);
        var source = Assert.Single(doc.GetProperty("lineage").GetProperty("sources").EnumerateArray());
        Assert.Equal("b1/sections.zip", source.GetProperty("path").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(files[1].LocalPath))), source.GetProperty("sha256").GetString());
        Assert.Equal("EPSG:3857", source.GetProperty("crs").GetString());
        Assert.Equal(["make_valid", "normalize_crs", "simplify", "spatial_index"],
            doc.GetProperty("lineage").GetProperty("process_steps").EnumerateArray().Select(s => s.GetProperty("step").GetString()));
        Assert.Equal("run-7", doc.GetProperty("lineage").GetProperty("run_id").GetString());
        Assert.Equal(["b1"], await _lake.Partitions.GetDynamicPartitionKeysAsync(SpatialTables.BatchPartitions, default));
    }

    [Fact]
    public async Task RerunningABatch_ReplacesItsPartition()
    {
        var files = TwoFiles();
        await _ingest.RunAsync(Batch("b1", files), "run-1", default);

        var again = await _ingest.RunAsync(Batch("b1", files), "run-2", default);

        Assert.All(again.Datasets, d => Assert.Equal((6L, 6L), (d.Commits.Single().AddedRows, d.Commits.Single().TotalRows)));
    }

    [Fact]
    public async Task ABadFile_FailsNamingItAndTheFeature_WritesAQuarantineReport_AndCommitsNothing()
    {
        var bad = _files.GeoJson("bad.geojson", extraFeatures:
            ["""{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[-88,43],[-87,44],[-86,45],[-88,43]]]}}"""]);
        IReadOnlyList<SpatialFile> files = [TwoFiles()[0], new("b2/bad.geojson", bad, "GeoJSON", null)];

        var e = await Assert.ThrowsAsync<SpatialInputException>(() => _ingest.RunAsync(Batch("b2", files), "run-9", default));

        Assert.Equal(("b2/bad.geojson", 6), (e.File, e.FeatureIndex));
        var writer = new QuarantineWriter(_objects);
        var report = await writer.ReadAsync(Assert.Single(await writer.ListReportKeysAsync("spatial/", default)), default);
        Assert.True(report.StepFailed);
        Assert.Equal(e.Message, report.Error);
        Assert.Equal("spatial/batch_id=b2/run_id=run-9/report.json", QuarantineWriter.FolderOf(report) + QuarantineWriter.ReportFile);
        Assert.Null(await _catalog.LoadAsync(SpatialTables.Vector("webmercator").Id, default));
        Assert.Null(await _catalog.LoadAsync(SpatialTables.Vector("bad").Id, default));
        Assert.Empty(await _lake.KeysAsync(_objects.For("spatial")));
        Assert.Empty(await _lake.Ledger.ListAsync(null, default));
    }

    [Theory]
    [InlineData("unknown_crs", "its CRS is unknown")]
    [InlineData("no_shx", "the Shapefile has no .shx")]
    [InlineData("no_dbf", "the Shapefile has no .dbf")]
    [InlineData("empty", "the layer has no features")]
    public async Task EachBadInput_FailsTheBatchNamingTheFile_WithAQuarantineReport_AndCommitsNothing(string @case, string problem)
    {
        var (key, path) = @case switch
        {
            "unknown_crs" => ("b3/noprj.zip", _files.ZippedShapefile("noprj", 3857, ".prj")),
            "no_shx" => ("b3/noshx.zip", _files.ZippedShapefile("noshx", 3857, ".shx")),
            "no_dbf" => ("b3/nodbf.zip", _files.ZippedShapefile("nodbf", 3857, ".dbf")),
            _ => ("b3/empty.geojson", _files.Write("empty.geojson", """{"type":"FeatureCollection","features":[]}""")),
        };
        IReadOnlyList<SpatialFile> files = [TwoFiles()[0], new(key, path, null, null)];

        var e = await Assert.ThrowsAsync<SpatialInputException>(() => _ingest.RunAsync(Batch("b3", files), "run-3", default));

        Assert.Equal(key, e.File);
        Assert.StartsWith(key + ": ", e.Message);
        Assert.Contains(problem, e.Message);
        var writer = new QuarantineWriter(_objects);
        var report = await writer.ReadAsync(Assert.Single(await writer.ListReportKeysAsync("spatial/", default)), default);
        Assert.Equal((true, e.Message), (report.StepFailed, report.Error));
        Assert.Contains(key, report.InputPaths);
        Assert.Null(await _catalog.LoadAsync(SpatialTables.Vector("webmercator").Id, default));
        Assert.Empty(await _lake.KeysAsync(_objects.For("spatial")));
        Assert.Empty(await _lake.Ledger.ListAsync(null, default));
    }
}
