using Assets.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;
using NetTopologySuite.Algorithm.Distance;
using NetTopologySuite.Geometries;
using Npgsql;
using TestSupport;
using TmLakehouse.Assets.Spatial;
using TmLakehouse.Assets.Spatial.Output;
using TmLakehouse.Assets.Spatial.Raster;
using TmLakehouse.Assets.Tests.Fakes;
using TmLakehouse.Assets.Spatial.Reading;
using TmLakehouse.Assets.Spatial.Recipes;

namespace Assets.Tests.Spatial;

/// <summary>
/// The PostGIS engine on a real PostGIS: every recipe gives what the in-process engine gives over the same inputs (feature
/// count, bbox within 1e-9°, geometries within the recipe's tolerance) and leaves no proc_ schema; a step killed mid-recipe
/// leaves its schema, which the next start drops once it is older than the lease.
/// </summary>
[Collection(PostGisCollection.Name)]
public sealed class PostGisVectorEngineTests(PostgresServerFixture server) : IAsyncLifetime
{
    private readonly SpatialFiles _files = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
    private string _database = "";

    public async Task InitializeAsync() => _database = await server.CreatePostGisDatabaseAsync();

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _files.Dispose();
        return Task.CompletedTask;
    }

    private PostGisVectorEngine Engine(Ogr2OgrLoader? ogr2ogr = null) => new(_database, _clock, PostGisVectorEngine.DefaultLease, ogr2ogr);

    /// <summary>The engine loading its input either way: the file by the real ogr2ogr, or the reader's features by COPY.</summary>
    private PostGisVectorEngine Engine(string load) => Engine(load == "ogr2ogr" ? new Ogr2OgrLoader(new ProcessGdalRunner()) : null);

    private IReadOnlyList<VectorLayer>? _inputs;

    private IReadOnlyList<VectorLayer> Inputs() => _inputs ??=
    [
        VectorFileReader.Read(_files.GeoJson("webmercator.geojson", p => (SpatialFiles.MercatorX(p.X), SpatialFiles.MercatorY(p.Y))), "b1/webmercator.geojson", "GeoJSON", "EPSG:3857"),
        VectorFileReader.Read(_files.ZippedShapefile("sections", 3857), "b1/sections.zip", "Shapefile", null),
        VectorFileReader.Read(_files.GeoJson("lonlat.geojson"), "b1/lonlat.geojson", "GeoJSON", "EPSG:4326"),
        VectorFileReader.Read(_files.Ogr2Ogr("GPKG", "utm.gpkg", _files.GeoJson("utm-source.geojson"), "-t_srs", "EPSG:32616", "-nln", "sections"), "b1/utm.gpkg", "GeoPackage", null),
    ];

    [Theory]
    [InlineData("ogr2ogr")]
    [InlineData("copy")]
    public async Task EveryRecipe_GivesTheSameLayerOnBothEngines_AndLeavesNoSchema(string load)
    {
        var compared = 0;
        var engine = Engine(load);
        Assert.Equal(load, engine.Load);
        foreach (var recipe in VectorRecipes.All)
            foreach (var input in Inputs())
            {
                var inProcess = await new InProcessVectorEngine().RunAsync(input, recipe, "run-c", default);
                var postgis = await engine.RunAsync(input, recipe, "run-c", default);

                var tolerance = recipe.Steps.OfType<SimplifyStep>().Select(s => s.Tolerance).DefaultIfEmpty(1e-9).Max();
                Assert.Equal(inProcess.Features.Count, postgis.Features.Count);
                Assert.True(postgis.Crs.IsWgs84LonLat);
                var a = Extent(inProcess);
                var b = Extent(postgis);
                Assert.Equal(a.MinX, b.MinX, 1e-9);
                Assert.Equal(a.MinY, b.MinY, 1e-9);
                Assert.Equal(a.MaxX, b.MaxX, 1e-9);
                Assert.Equal(a.MaxY, b.MaxY, 1e-9);
                var byIndex = postgis.Features.ToDictionary(f => f.Index);
                foreach (var feature in inProcess.Features)
                {
                    var other = byIndex[feature.Index].Geometry;
                    var distance = DiscreteHausdorffDistance.Distance(feature.Geometry, other);
                    Assert.True(distance <= tolerance, $"{recipe.Name} {input.SourceFile} feature {feature.Index}: {distance} > {tolerance}");
                    Assert.True(feature.Geometry.GeometryType == other.GeometryType,
                        $"{recipe.Name} {input.SourceFile} feature {feature.Index}: {feature.Geometry.GeometryType} in process, {other.GeometryType} on PostGIS");
                    Assert.Equal(feature.Properties, byIndex[feature.Index].Properties);
                }
                compared++;
            }

        Assert.Equal(VectorRecipes.All.Count * Inputs().Count, compared);
        Assert.Empty(await ProcSchemasAsync());
    }

    /// <summary>A transverse Mercator centred on Erin Hills that no EPSG code names: the CRS is known only by this WKT.</summary>
    private const string LocalTransverseMercator =
        "PROJCS[\"Erin Hills local TM\",GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563]],PRIMEM[\"Greenwich\",0]," +
        "UNIT[\"degree\",0.0174532925199433]],PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"latitude_of_origin\",43],PARAMETER[\"central_meridian\",-88]," +
        "PARAMETER[\"scale_factor\",1],PARAMETER[\"false_easting\",500000],PARAMETER[\"false_northing\",0],UNIT[\"metre\",1]]";

    [Theory]
    [InlineData("ogr2ogr")]
    [InlineData("copy")]
    public async Task ACrsKnownOnlyByItsWkt_GivesTheSameLayerOnPostGis_AsInProcess(string load)
    {
        var projected = _files.Ogr2Ogr("GeoJSON", "local-tm.geojson", _files.GeoJson("lonlat-for-tm.geojson"), "-s_srs", "EPSG:4326", "-t_srs", LocalTransverseMercator);
        var input = VectorFileReader.Read(projected, "b1/local-tm.geojson", "GeoJSON", LocalTransverseMercator);
        Assert.Null(input.Crs.Code);

        var inProcess = await new InProcessVectorEngine().RunAsync(input, VectorRecipes.Default, "run-w", default);
        var postgis = await Engine(load).RunAsync(input, VectorRecipes.Default, "run-w", default);

        Assert.True(postgis.Crs.IsWgs84LonLat);
        Assert.Equal(inProcess.Features.Count, postgis.Features.Count);
        var (a, b) = (Extent(inProcess), Extent(postgis));
        Assert.Equal((a.MinX, a.MinY, a.MaxX, a.MaxY), (b.MinX, b.MinY, b.MaxX, b.MaxY), new EnvelopeWithin(1e-9));
        // Both are where the squares are drawn, in lon/lat.
        Assert.Equal(SpatialFiles.Sections.Min(s => s.Ring.Min(p => p.X)), b.MinX, 1e-7);
        Assert.Equal(SpatialFiles.Sections.Max(s => s.Ring.Max(p => p.Y)), b.MaxY, 1e-7);
        Assert.Empty(await ProcSchemasAsync());
    }

    private sealed class EnvelopeWithin(double tolerance) : IEqualityComparer<(double, double, double, double)>
    {
        public bool Equals((double, double, double, double) x, (double, double, double, double) y) =>
            Math.Abs(x.Item1 - y.Item1) <= tolerance && Math.Abs(x.Item2 - y.Item2) <= tolerance && Math.Abs(x.Item3 - y.Item3) <= tolerance && Math.Abs(x.Item4 - y.Item4) <= tolerance;

        public int GetHashCode((double, double, double, double) obj) => 0;
    }

    [Fact]
    public async Task Ogr2Ogr_LoadsTheFileItself_AZippedShapefileThroughVsizip_WithThePasswordOutOfItsArguments()
    {
        var runner = new RecordingGdalRunner(new ProcessGdalRunner());
        var zipped = Inputs()[1];
        var withPassword = new NpgsqlConnectionStringBuilder(_database) { Password = "not-in-argv" }.ConnectionString;

        var output = await new PostGisVectorEngine(withPassword, _clock, PostGisVectorEngine.DefaultLease, new Ogr2OgrLoader(runner)).RunAsync(zipped, VectorRecipes.Sections, "run-o", default);

        var (tool, arguments, environment) = Assert.Single(runner.Calls);
        Assert.Equal("ogr2ogr", tool);
        Assert.Contains($"/vsizip/{zipped.LocalPath}/sections/sections.shp", arguments);
        Assert.Contains("proc_run_o.load", arguments);
        Assert.DoesNotContain(arguments, a => a.Contains("not-in-argv", StringComparison.Ordinal));
        Assert.Equal("not-in-argv", environment["PGPASSWORD"]);
        Assert.Equal(zipped.Features.Count, output.Features.Count);
        Assert.Empty(await ProcSchemasAsync());
    }

    [Fact]
    public async Task AnOgr2OgrThatCannotLoadTheFile_FailsTheStepNamingTheFile_AndDropsTheSchema()
    {
        var input = Inputs()[0];
        var truncated = Path.Combine(_files.Folder, "truncated.geojson");
        await File.WriteAllTextAsync(truncated, (await File.ReadAllTextAsync(input.LocalPath!))[..200]);

        var error = await Assert.ThrowsAsync<SpatialInputException>(() =>
            Engine("ogr2ogr").RunAsync(input with { LocalPath = truncated }, VectorRecipes.Default, "run-t", default));

        Assert.Contains("b1/webmercator.geojson", error.Message);
        Assert.Contains("ogr2ogr could not load it into PostGIS", error.Message);
        Assert.Empty(await ProcSchemasAsync());
    }

    [Fact]
    public async Task AnOgr2OgrLoadingFewerFeaturesThanTheReaderRead_FailsTheStep_AndDropsTheSchema()
    {
        var input = Inputs()[2];

        var error = await Assert.ThrowsAsync<SpatialInputException>(() =>
            new PostGisVectorEngine(_database, _clock, PostGisVectorEngine.DefaultLease, new Ogr2OgrLoader(new LimitingRunner(new ProcessGdalRunner(), 2)))
                .RunAsync(input, VectorRecipes.Default, "run-l", default));

        Assert.Equal(("b1/lonlat.geojson", null), (error.File, error.FeatureIndex));
        Assert.Contains($"ogr2ogr loaded 2 features (FIDs 1..2) where the reader found {input.Features.Count}", error.Message);
        Assert.Empty(await ProcSchemasAsync());
    }

    /// <summary>Has ogr2ogr stop after <paramref name="limit"/> features, as a GDAL that read the file differently would.</summary>
    private sealed class LimitingRunner(IGdalRunner inner, int limit) : IGdalRunner
    {
        public Task<GdalResult> RunAsync(string tool, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken) =>
            inner.RunAsync(tool, [.. arguments, "-limit", limit.ToString(System.Globalization.CultureInfo.InvariantCulture)], environment, cancellationToken);
    }


    [Fact]
    public async Task TheIngest_OnPostGisWithOgr2Ogr_WritesTheSameTables_AsInProcess_AndLeavesNoSchema()
    {
        IReadOnlyList<SpatialFile> files =
        [
            new("b1/webmercator.geojson", Inputs()[0].LocalPath!, "GeoJSON", "EPSG:3857"),
            new("b1/sections.zip", Inputs()[1].LocalPath!, "Shapefile", null),
        ];
        var batch = new SpatialBatch("b1", "ingest_vector", files) { Uploader = "ops" };
        using var inProcessLake = IcebergLake();
        using var postgisLake = IcebergLake();

        var inProcess = await new VectorBatchIngest(inProcessLake.Resources, new InProcessVectorEngine(), _clock).RunAsync(batch, "run-i", default);
        var postgis = await new VectorBatchIngest(postgisLake.Resources, Engine("ogr2ogr"), _clock).RunAsync(batch, "run-i", default);

        Assert.Equal(["spatial.sections", "spatial.webmercator"], postgis.Datasets.Select(d => d.Table.ToString()).Order());
        foreach (var expected in inProcess.Datasets)
        {
            var actual = postgis.Datasets.Single(d => d.Table == expected.Table);
            Assert.Equal(("in_process", "postgis"), (expected.Metadata.Lineage.Engine, actual.Metadata.Lineage.Engine));
            Assert.Equal(expected.Metadata.FeatureCount, actual.Metadata.FeatureCount);
            Assert.Equal(expected.Commits.Sum(c => c.AddedRows), actual.Commits.Sum(c => c.AddedRows));
            Assert.Equal(expected.Metadata.GeographicBoundingBox, actual.Metadata.GeographicBoundingBox, new Within(1e-9));
            var (rowsA, geoA) = await ReadWithDuckDbAsync(inProcessLake, expected.Table);
            var (rowsB, geoB) = await ReadWithDuckDbAsync(postgisLake, expected.Table);
            Assert.Equal(geoA.Types, geoB.Types);
            Assert.Equal(geoA.Bbox, geoB.Bbox, new Within(1e-9));
            Assert.Equal(rowsA.Select(r => r.Properties), rowsB.Select(r => r.Properties));
            foreach (var (a, b) in rowsA.Zip(rowsB)) Assert.Equal(a.Box, b.Box, new Within(1e-9));
        }
        Assert.Empty(await ProcSchemasAsync());
    }

    /// <summary>A lake whose tables are Iceberg tables with data files (the writer records each file in the ledger).</summary>
    private static TestLake IcebergLake() =>
        new(catalog: lake => Lakehouse.Core.Tables.Catalog.TableCatalogs.Sqlite(Path.Combine(lake.Home, "catalog.db"), lake.Objects, TimeProvider.System));

    /// <summary>A table's rows (file#index properties, covering bbox) in source order and its `geo` key's types and bbox, read by DuckDB.</summary>
    private static async Task<(List<(string Properties, double[] Box)> Rows, (string Types, double[] Bbox) Geo)> ReadWithDuckDbAsync(TestLake lake, Lakehouse.Core.Tables.TableIdentifier id)
    {
        var table = (await lake.Catalog.LoadAsync(id, default))!;
        var list = string.Join(", ", (await table.FilesAsync(null, default)).Select(f => $"'{new Uri(f.Path).LocalPath}'"));
        await using var connection = new DuckDB.NET.Data.DuckDBConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT source_file || '#' || feature_index || ' ' || properties, bbox.xmin, bbox.ymin, bbox.xmax, bbox.ymax FROM read_parquet([{list}]) ORDER BY source_file, feature_index";
        var rows = new List<(string, double[])>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                rows.Add((reader.GetString(0), [reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4)]));
        command.CommandText = $"SELECT decode(value) FROM parquet_kv_metadata([{list}]) WHERE decode(key) = 'geo'";
        var geo = System.Text.Json.JsonDocument.Parse((string)(await command.ExecuteScalarAsync())!).RootElement.GetProperty("columns").GetProperty("geometry");
        return (rows, (geo.GetProperty("geometry_types").GetRawText(), geo.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray()));
    }

    private sealed class Within(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }

    [Fact]
    public async Task AFailingStep_StillDropsItsSchema()
    {
        var recipe = new VectorRecipe("broken", [new MakeValidStep(), new SqlStep("CREATE TABLE {target} AS SELECT no_such_column FROM {source}")]);

        await Assert.ThrowsAsync<PostgresException>(() => Engine().RunAsync(Inputs()[2], recipe, "run-f", default));

        Assert.Empty(await ProcSchemasAsync());
    }

    [Fact]
    public async Task AStepKilledMidRecipe_LeavesItsSchema_WhichTheNextStartDropsOnceOlderThanTheLease()
    {
        var recipe = new VectorRecipe("slow", [new MakeValidStep(), new SqlStep("SELECT pg_sleep(120); CREATE TABLE {target} AS SELECT * FROM {source}"), new NormalizeCrsStep()]);
        var running = Engine().RunAsync(Inputs()[2], recipe, "run-killed", default);
        // Kill the step's backend as a dying process would lose it: bounded wait for the sleep to start.
        var killed = false;
        for (var attempt = 0; attempt < 200 && !killed; attempt++)
        {
            killed = await ScalarAsync<bool>("SELECT coalesce(bool_or(pg_terminate_backend(pid)), false) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(120)%' AND pid <> pg_backend_pid()");
            if (!killed) await Task.Delay(50);
        }
        Assert.True(killed);
        await Assert.ThrowsAnyAsync<Exception>(() => running);
        Assert.Equal(["proc_run_killed"], await ProcSchemasAsync());

        // A later run inside the lease keeps it (its run might still be alive); past the lease, the next start drops it.
        await Engine().RunAsync(Inputs()[2], VectorRecipes.Sections, "run-next", default);
        Assert.Equal(["proc_run_killed"], await ProcSchemasAsync());
        _clock.Advance(PostGisVectorEngine.DefaultLease + TimeSpan.FromMinutes(1));
        await Engine().RunAsync(Inputs()[2], VectorRecipes.Sections, "run-later", default);
        Assert.Empty(await ProcSchemasAsync());
    }

    private static Envelope Extent(VectorLayer layer)
    {
        var extent = new Envelope();
        foreach (var f in layer.Features) extent.ExpandToInclude(f.Geometry.EnvelopeInternal);
        return extent;
    }

    private async Task<List<string>> ProcSchemasAsync()
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'proc\\_%' ORDER BY nspname", connection);
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        return names;
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A step given as SQL only, to make a step fail or run long on the server.</summary>
    private sealed record SqlStep(string Sql) : VectorStep
    {
        public override string Name => "sql";
        public override Func<VectorFeature, VectorFeature> For(string file, SpatialReference crs) => feature => feature;
        public override string PostGisSql(string source, string target) => Sql.Replace("{source}", source).Replace("{target}", target);
    }

    [Fact]
    public void TheEngine_IsChosenByConfiguration_InProcessByDefault()
    {
        Assert.IsType<InProcessVectorEngine>(VectorEngines.From(new Lakehouse.Core.Config.LakehouseOptions(), _clock));
        var configured = Assert.IsType<PostGisVectorEngine>(VectorEngines.From(new Lakehouse.Core.Config.LakehouseOptions { PostGisConnectionString = _database }, _clock));
        Assert.Equal(("postgis", "ogr2ogr"), (configured.Name, configured.Load));
        var loaded = Lakehouse.Core.Config.LakehouseConfiguration.Load(null, new Dictionary<string, string> { ["TM_POSTGIS_URL"] = "Host=127.0.0.1;Username=u;Password=secret" }, _files.Folder).Options;
        Assert.Equal("Host=127.0.0.1;Username=u;Password=secret", loaded.PostGisConnectionString);
    }
}
