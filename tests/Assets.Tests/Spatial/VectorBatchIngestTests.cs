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

namespace Assets.Tests.Spatial;

/// <summary>
/// The first "done when", embedded: a GeoJSON in EPSG:3857 and a zipped Shapefile give a spatial table in lon/lat whose
/// files are GeoParquet (read back with DuckDB), with a metadata document carrying the files' SHA-256; a bad file commits nothing.
/// </summary>
public sealed class VectorBatchIngestTests : IDisposable
{
    private readonly SpatialFiles _files = new();
    private readonly LocalObjectStoreProvider _objects;
    private readonly ITableCatalog _catalog;
    private readonly VectorBatchIngest _ingest;

    public VectorBatchIngestTests()
    {
        _objects = new LocalObjectStoreProvider(new LakehouseOptions { Home = Path.Combine(_files.Folder, "home") });
        _catalog = TableCatalogs.Sqlite(Path.Combine(_files.Folder, "catalog.db"), _objects, TimeProvider.System);
        _ingest = new VectorBatchIngest(_catalog, _objects, new InProcessVectorEngine(), new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero)));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _files.Dispose();
    }

    private IReadOnlyList<SpatialFile> TwoFiles() =>
    [
        new("b1/webmercator.geojson", _files.GeoJson("webmercator.geojson", p => (SpatialFiles.MercatorX(p.X), SpatialFiles.MercatorY(p.Y))), "GeoJSON", "EPSG:3857"),
        new("b1/sections.zip", _files.ZippedShapefile("sections", 3857), "Shapefile", null),
    ];

    [Fact]
    public async Task GeoJsonIn3857_AndAZippedShapefile_GiveALonLatGeoParquetTable_AndAMetadataDocument()
    {
        var files = TwoFiles();

        var result = await _ingest.RunAsync("b1", "ingest_vector", "run-7", files, "Erin Hills sections", "course sections", default);

        var table = (await _catalog.LoadAsync(SpatialTables.Vector.Id, default))!;
        var paths = (await table.FilesAsync(null, default)).Select(f => new Uri(f.Path).LocalPath).ToList();
        var list = string.Join(", ", paths.Select(p => $"'{p}'"));
        await using var connection = new DuckDBConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT source_file, json_extract(properties, '$.hole')::INT, json_extract(properties, '$.section')::INT, bbox.xmin, bbox.ymax, typeof(geometry) FROM read_parquet([{list}])";
        var rows = new List<(string File, int Hole, int Section, double XMin, double YMax, string Type)>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                rows.Add((reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetDouble(3), reader.GetDouble(4), reader.GetString(5)));

        Assert.Equal(12, rows.Count);
        Assert.Equal(12, result.Commit.AddedRows);
        foreach (var row in rows)
        {
            var ring = SpatialFiles.Sections.Single(s => s.Hole == row.Hole && s.Section == row.Section).Ring;
            Assert.Equal(ring.Min(p => p.X), row.XMin, 1e-9);
            Assert.Equal(ring.Max(p => p.Y), row.YMax, 1e-9);
            Assert.Equal("GEOMETRY('OGC:CRS84')", row.Type);
        }
        Assert.Equal(["b1/sections.zip", "b1/webmercator.geojson"], rows.Select(r => r.File).Distinct().Order());

        await using var stored = await _objects.For("spatial").OpenReadAsync(VectorBatchIngest.MetadataKeyOf("b1"), default);
        using var json = await JsonDocument.ParseAsync(stored);
        var doc = json.RootElement;
        Assert.Equal("Erin Hills sections", doc.GetProperty("identification").GetProperty("title").GetString());
        Assert.Equal(12, doc.GetProperty("feature_count").GetInt64());
        var extent = doc.GetProperty("extent").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(-88.05, extent[0], 1e-9);
        Assert.Equal(43.692, extent[3], 1e-9);
        var sources = doc.GetProperty("lineage").GetProperty("sources").EnumerateArray().ToList();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(files[1].LocalPath))),
            sources.Single(s => s.GetProperty("path").GetString() == "b1/sections.zip").GetProperty("sha256").GetString());
        Assert.Equal(["EPSG:3857", "EPSG:3857"], sources.Select(s => s.GetProperty("crs").GetString()));
        Assert.Equal(["make_valid", "normalize_crs", "simplify", "spatial_index"],
            doc.GetProperty("lineage").GetProperty("process_steps").EnumerateArray().Select(s => s.GetProperty("step").GetString()));
        Assert.Equal("run-7", doc.GetProperty("lineage").GetProperty("run_id").GetString());
    }

    [Fact]
    public async Task RerunningABatch_ReplacesItsPartition()
    {
        var files = TwoFiles();
        await _ingest.RunAsync("b1", "ingest_vector", "run-1", files, null, null, default);

        var again = await _ingest.RunAsync("b1", "ingest_vector", "run-2", files, null, null, default);

        Assert.Equal((12L, 12L), (again.Commit.AddedRows, again.Commit.TotalRows));
    }

    [Fact]
    public async Task ABadFile_FailsNamingItAndTheFeature_WritesAQuarantineReport_AndCommitsNothing()
    {
        var bad = _files.GeoJson("bad.geojson", extraFeatures:
            ["""{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[-88,43],[-87,44],[-86,45],[-88,43]]]}}"""]);
        IReadOnlyList<SpatialFile> files = [TwoFiles()[0], new("b2/bad.geojson", bad, "GeoJSON", null)];

        var e = await Assert.ThrowsAsync<SpatialInputException>(() => _ingest.RunAsync("b2", "ingest_vector", "run-9", files, null, null, default));

        Assert.Equal(("b2/bad.geojson", 6), (e.File, e.FeatureIndex));
        var writer = new QuarantineWriter(_objects);
        var report = await writer.ReadAsync(Assert.Single(await writer.ListReportKeysAsync("spatial/", default)), default);
        Assert.True(report.StepFailed);
        Assert.Equal(e.Message, report.Error);
        Assert.Equal("spatial/batch_id=b2/run_id=run-9/report.json", QuarantineWriter.FolderOf(report) + QuarantineWriter.ReportFile);
        Assert.Null(await _catalog.LoadAsync(SpatialTables.Vector.Id, default));
        Assert.Null(await _objects.For("spatial").StatAsync(VectorBatchIngest.MetadataKeyOf("b2"), default));
    }
}
