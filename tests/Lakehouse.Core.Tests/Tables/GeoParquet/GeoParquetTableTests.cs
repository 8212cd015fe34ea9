using System.Text.Json;
using Apache.Arrow;
using DuckDB.NET.Data;
using Lakehouse.Core.Tables;
using ParquetSharp;

namespace Lakehouse.Core.Tests.Tables.GeoParquet;

/// <summary>
/// A table with a geometry column writes GeoParquet 1.1 files, checked with DuckDB (an independent Parquet reader): the
/// <c>geo</c> footer key, the geometry types present, the file bbox and the per-row covering column.
/// </summary>
public sealed class GeoParquetTableTests : IDisposable
{
    private readonly TableTestLake _lake = new();

    public void Dispose() => _lake.Dispose();

    private static TableDefinition Places(string? geometryColumn = "geometry") => new(
        new TableIdentifier("spatial", "places"),
        TableSchemas.Sequential(("id", TableType.Long, true), ("kind", TableType.String, true), ("geometry", TableType.Binary, false)),
        [new("kind", PartitionTransform.Identity, "kind")]) { GeometryColumn = geometryColumn };

    private static RecordBatch Batch(Schema schema, params (long Id, string Kind, byte[]? Wkb)[] rows)
    {
        var id = new Int64Array.Builder();
        var kind = new StringArray.Builder();
        var geometry = new BinaryArray.Builder();
        foreach (var (i, k, g) in rows)
        {
            id.Append(i);
            kind.Append(k);
            if (g is null) geometry.AppendNull(); else geometry.Append(g.AsSpan());
        }
        return new RecordBatch(schema, [id.Build(), kind.Build(), geometry.Build()], rows.Length);
    }

    private async Task<ILakeTable> WriteAsync(TableDefinition definition)
    {
        var table = await _lake.Catalog.CreateOrLoadAsync(definition, CancellationToken.None);
        await using var writer = table.NewAppend();
        await writer.WriteAsync(Batch(table.ArrowSchema,
            (1, "fix", Wkb.Point(-88.05, 43.69)),
            (2, "fix", Wkb.Point(-88.01, 43.72)),
            (3, "fix", null),
            (4, "fix", Wkb.EmptyPoint()),
            (5, "area", Wkb.Polygon((-88.2, 43.6), (-88.1, 43.6), (-88.1, 43.65), (-88.2, 43.6))),
            (6, "area", Wkb.MultiPolygon(Wkb.Polygon((-87.9, 43.5), (-87.8, 43.5), (-87.8, 43.55), (-87.9, 43.5))))), CancellationToken.None);
        await writer.CommitAsync(CancellationToken.None);
        return table;
    }

    private static async Task<string> FileOfAsync(ILakeTable table, string kind) =>
        new Uri((await table.FilesAsync(null, CancellationToken.None)).Single(f => f.PartitionValues["kind"] == kind).Path).LocalPath;

    private static async Task<List<object?[]>> QueryAsync(string sql)
    {
        await using var connection = new DuckDBConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var rows = new List<object?[]>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    private static async Task<JsonElement> GeoKeyAsync(string file)
    {
        var rows = await QueryAsync($"SELECT decode(key), decode(value) FROM parquet_kv_metadata('{file}')");
        var geo = rows.Single(r => (string)r[0]! == "geo");
        return JsonDocument.Parse((string)geo[1]!).RootElement;
    }

    [Fact]
    public async Task Files_CarryTheGeoKey_WithTheTypesPresentAndTheFileBbox()
    {
        var table = await WriteAsync(Places());

        var fixes = await GeoKeyAsync(await FileOfAsync(table, "fix"));
        var areas = await GeoKeyAsync(await FileOfAsync(table, "area"));

        Assert.Equal("1.1.0", fixes.GetProperty("version").GetString());
        Assert.Equal("geometry", fixes.GetProperty("primary_column").GetString());
        var column = fixes.GetProperty("columns").GetProperty("geometry");
        Assert.Equal("WKB", column.GetProperty("encoding").GetString());
        Assert.Equal(["Point"], column.GetProperty("geometry_types").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal([-88.05, 43.69, -88.01, 43.72], column.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()));
        Assert.False(column.TryGetProperty("crs", out _), "lon/lat (OGC:CRS84) is GeoParquet's default and is left out");
        Assert.Equal(["bbox", "xmin"], column.GetProperty("covering").GetProperty("bbox").GetProperty("xmin").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(["bbox", "ymax"], column.GetProperty("covering").GetProperty("bbox").GetProperty("ymax").EnumerateArray().Select(p => p.GetString()));
        var areaColumn = areas.GetProperty("columns").GetProperty("geometry");
        Assert.Equal(["MultiPolygon", "Polygon"], areaColumn.GetProperty("geometry_types").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal([-88.2, 43.5, -87.8, 43.65], areaColumn.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()));
    }

    [Fact]
    public async Task CoveringColumn_HoldsEachRowsBox_NullForNullAndEmptyGeometries_WithRowGroupStatistics()
    {
        var table = await WriteAsync(Places());
        var file = await FileOfAsync(table, "fix");

        var rows = await QueryAsync($"SELECT id, bbox.xmin, bbox.ymin, bbox.xmax, bbox.ymax, bbox IS NULL FROM read_parquet('{file}') ORDER BY id");
        var stats = await QueryAsync($"SELECT path_in_schema, stats_min, stats_max FROM parquet_metadata('{file}') WHERE path_in_schema LIKE 'bbox%xmin'");

        Assert.Equal([1L, -88.05, 43.69, -88.05, 43.69, false], rows[0]);
        Assert.Equal([2L, -88.01, 43.72, -88.01, 43.72, false], rows[1]);
        Assert.Equal(true, rows[2][5]);
        Assert.Equal(true, rows[3][5]);
        Assert.Equal(("-88.05", "-88.01"), ((string)stats.Single()[1]!, (string)stats.Single()[2]!));
    }

    [Fact]
    public async Task Files_KeepTheirIcebergMetadata_AndReadBackThroughTheTable_WithoutTheCoveringColumn()
    {
        var table = await WriteAsync(Places());
        var file = await FileOfAsync(table, "area");

        var keys = (await QueryAsync($"SELECT decode(key) FROM parquet_kv_metadata('{file}')")).Select(r => (string)r[0]!).ToList();
        using var parquet = new ParquetFileReader(file);
        var ids = new List<long>();
        await foreach (var batch in table.ScanAsync(new TableScan(), CancellationToken.None))
        {
            Assert.Equal(["id", "kind", "geometry"], batch.Schema.FieldsList.Select(f => f.Name));
            for (var i = 0; i < batch.Length; i++) ids.Add(((Int64Array)batch.Column(0)).GetValue(i)!.Value);
        }

        Assert.Contains("iceberg.schema", keys);
        Assert.Contains("ARROW:schema", keys);
        Assert.Contains("geo", keys);
        Assert.Equal(2, parquet.FileMetaData.NumRows);
        Assert.Equal([1L, 2, 3, 4, 5, 6], ids.Order());
    }

    [Fact]
    public async Task TableWithoutGeometryColumn_WritesPlainParquet()
    {
        var table = await WriteAsync(Places(geometryColumn: null));
        var file = await FileOfAsync(table, "fix");

        var keys = (await QueryAsync($"SELECT decode(key) FROM parquet_kv_metadata('{file}')")).Select(r => (string)r[0]!).ToList();
        var columns = (await QueryAsync($"SELECT name FROM parquet_schema('{file}')")).Select(r => (string)r[0]!).ToList();

        Assert.DoesNotContain("geo", keys);
        Assert.DoesNotContain("bbox", columns);
    }

    [Fact]
    public async Task ExistingTable_GainsGeoParquet_WhenItsDefinitionNamesAGeometryColumn()
    {
        await _lake.Catalog.CreateOrLoadAsync(Places(geometryColumn: null), CancellationToken.None);

        var table = await WriteAsync(Places());
        var replaced = table.NewReplace(RowFilter.Where(("kind", "fix")));
        await using (replaced)
        {
            await replaced.WriteAsync(Batch(table.ArrowSchema, (7, "fix", Wkb.Point(1, 2))), CancellationToken.None);
            await replaced.CommitAsync(CancellationToken.None);
        }

        var geo = await GeoKeyAsync(await FileOfAsync(table, "fix"));
        Assert.Equal([1.0, 2, 1, 2], geo.GetProperty("columns").GetProperty("geometry").GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()));
    }

    [Fact]
    public async Task Definition_RejectsAGeometryColumnThatIsNotBinary()
    {
        var definition = Places() with { };
        var bad = new TableDefinition(definition.Id, definition.Schema, definition.PartitionSpec) { GeometryColumn = "kind" };

        var e = await Assert.ThrowsAsync<ArgumentException>(() => _lake.Catalog.CreateOrLoadAsync(bad, CancellationToken.None));

        Assert.Contains("'kind'", e.Message);
    }

    [Fact]
    public async Task DuckDb_ReadsTheColumn_AsLonLatGeometry()
    {
        var table = await WriteAsync(Places());
        var file = await FileOfAsync(table, "area");

        var rows = await QueryAsync($"SELECT typeof(geometry), geometry::VARCHAR FROM read_parquet('{file}') ORDER BY id");

        Assert.Equal("GEOMETRY('OGC:CRS84')", rows[0][0]);
        Assert.Equal("POLYGON ((-88.2 43.6, -88.1 43.6, -88.1 43.65, -88.2 43.6))", rows[0][1]);
        Assert.StartsWith("MULTIPOLYGON", (string)rows[1][1]!);
    }

    [Fact]
    public async Task Icebird_ReadsTheTable_ByItsIcebergSchema()
    {
        var table = await WriteAsync(Places());
        var metadata = Directory.GetFiles(((Lakehouse.Core.Objects.LocalObjectStore)_lake.Objects.For("spatial")).PathOf("places/metadata"), "*.metadata.json")
            .Select(Path.GetFileName).Order(StringComparer.Ordinal).Last()!;

        var output = await Iceberg.NodeInterop.RunAsync("read-table.mjs", _lake.Objects.For("spatial").LocationOf("places"), metadata);

        using var json = JsonDocument.Parse(output);
        Assert.Equal(6, json.RootElement.GetProperty("count").GetInt32());
        Assert.Equal(["geometry", "id", "kind"], json.RootElement.GetProperty("rows")[0].EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }
}
