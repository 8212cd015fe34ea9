using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Lakehouse.Core.Config;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Objects;
using Orchestrator.Tests.Support;
using Serilog;
using TmLakehouse.Assets;
using TmLakehouse.Assets.Landing;
using TmLakehouse.Assets.SampleData;
using TmLakehouse.Assets.Spatial;
using TmLakehouse.Assets.Spatial.Output;
using TmLakehouse.Assets.Spatial.Raster;
using TmLakehouse.Orchestrator.Execution;
using TmLakehouse.Orchestrator.Hosting;

namespace Orchestrator.Tests.Landing;

/// <summary>
/// Manifests of spatial batches, embedded: the sample courses' section polygons (from `tmlake sample-data`'s generator) as an
/// ingest_vector batch in EPSG:3857, as a course_sections batch, and a GeoTIFF as an ingest_raster batch. One tick launches each
/// batch's spatial asset; the runs write lon/lat tables, the sections table and a COG, each with ledger rows carrying the batch.
/// </summary>
public sealed class ManifestSpatialTests : IDisposable
{
    private readonly TempHome _home = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _home.Dispose();
    }

    [Fact]
    public async Task SpatialManifests_RunTheirSpatialAssets_GivingLonLatTables_Sections_ACog_AndLedgerRows()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await using var runtime = await LakehouseRuntime.OpenAsync(new LakehouseOptions { Home = _home.Path, Workers = 2 }, Definitions.All(null), RuntimeRole.Workers(2),
            new LoggerConfiguration().CreateLogger(), sensors: Definitions.Sensors());
        var landing = runtime.Resources.Objects.For(Layers.Landing);
        var sections = SampleDataGenerator.Generate(new SampleDataOptions
        {
            OutputDirectory = Path.Combine(_home.Path, "sample"), Courses = ["erinhills"], RoundsPerCourse = 2, FilesPerCourse = 1,
        }).SectionFiles.Single();
        var features = JsonDocument.Parse(await File.ReadAllTextAsync(sections)).RootElement.GetProperty("features").GetArrayLength();
        var mercator = Path.Combine(_home.Path, "erinhills_3857.geojson");
        Run("ogr2ogr", "-f", "GeoJSON", "-t_srs", "EPSG:3857", mercator, sections);
        var tiff = Path.Combine(_home.Path, "ortho.tif");
        Run("gdal_create", "-q", "-of", "GTiff", "-outsize", "256", "256", "-bands", "1", "-ot", "Byte", "-burn", "7",
            "-a_srs", "EPSG:3857", "-a_ullr", "-9801000", "5420000", "-9800000", "5419000", tiff);

        await landing.PutFileAsync("v1/erinhills_3857.geojson", mercator, null, deadline.Token);
        await landing.PutFileAsync("s1/erinhills_sections.geojson", sections, null, deadline.Token);
        await landing.PutFileAsync("r1/ortho.tif", tiff, null, deadline.Token);
        await PutAsync(landing, "manifests/v1.json", """{"batch_id": "v1", "uploader": "gis", "intent": "ingest_vector", "files": [{"path": "v1/erinhills_3857.geojson", "type": "vector", "format": "GeoJSON", "crs": "EPSG:3857"}], "metadata": {"project": "ALPHA", "description": "holes in web mercator"}}""");
        await PutAsync(landing, "manifests/s1.json", """{"batch_id": "s1", "uploader": "gis", "intent": "course_sections", "files": [{"path": "s1/erinhills_sections.geojson", "type": "vector"}], "metadata": {"course_id": "erinhills"}}""");
        await PutAsync(landing, "manifests/r1.json", """{"batch_id": "r1", "uploader": "gis", "intent": "ingest_raster", "files": [{"path": "r1/ortho.tif", "type": "raster"}]}""");

        var tick = (await runtime.Sensors.EvaluateAsync(runtime.Sensors.Catalog.Get(ManifestSensor.Name), false, deadline.Token)).Tick!;

        Assert.True(tick.Status == SensorTickStatus.Launched, tick.Reason);
        Assert.Equal(3, tick.RunIds.Count);
        var selections = new Dictionary<string, string>();
        foreach (var runId in tick.RunIds)
        {
            var run = await RunWatcher.WaitAsync(runtime.Instance.Runs, runId, null, TimeSpan.FromMilliseconds(100), deadline.Token);
            var events = await runtime.Instance.Events.QueryAsync(new EventQuery { RunId = runId, Limit = 100 }, deadline.Token);
            Assert.True(run.Status == RunStatus.Succeeded, $"{run.Selection}: {string.Join("\n", events.Select(e => e.Message))}");
            selections[run.Tags[ManifestTags.BatchId]] = run.Selection;
        }
        Assert.Equal(SpatialBatchAssets.KeyOf("ingest_vector").Value, selections["v1"]);
        Assert.Equal(SpatialBatchAssets.KeyOf("course_sections").Value, selections["s1"]);
        Assert.Equal(SpatialBatchAssets.KeyOf("ingest_raster").Value, selections["r1"]);

        var vector = (await runtime.Resources.Tables.LoadAsync(SpatialTables.Vector("erinhills_3857").Id, deadline.Token))!;
        Assert.Equal(features, (await vector.FilesAsync(null, deadline.Token)).Sum(f => f.RecordCount));
        var sectionTable = (await runtime.Resources.Tables.LoadAsync(SpatialTables.CourseSections.Id, deadline.Token))!;
        Assert.Equal(features, (await sectionTable.FilesAsync(null, deadline.Token)).Sum(f => f.RecordCount));
        Assert.NotNull(await runtime.Resources.Objects.For(Layers.Spatial).StatAsync(RasterBatchIngest.CogKeyOf("ortho", "r1"), deadline.Token));

        var ledger = await runtime.Instance.Ledger.QueryAsync(new LedgerQuery(), deadline.Token);
        var v1 = ledger.Where(e => e.BatchId == "v1").ToList();
        Assert.Contains(v1, e => e.Format == LedgerFormats.GeoParquet && e.Bbox is { } b && b.MinX > -180 && b.MaxX < 180 && b.MinY > -90 && b.MaxY < 90 && b.MinX < b.MaxX);
        Assert.Contains(v1, e => e.Format == LedgerFormats.Iso19115);
        Assert.All(v1, e => Assert.Equal(("gis", "ingest_vector", 64), (e.Uploader, e.Intent, e.Sha256.Length)));
        Assert.Contains(ledger, e => e.BatchId == "s1" && e.Format == LedgerFormats.GeoParquet);
        Assert.Contains(ledger, e => e.BatchId == "r1" && e.Format == LedgerFormats.Cog && e.Crs == "EPSG:4326");
        Assert.Equal(["r1", "s1", "v1"], (await runtime.Instance.Partitions.GetDynamicPartitionKeysAsync(SpatialTables.BatchPartitions, deadline.Token)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ASpatialManifestWhoseFilesDoNotFitItsIntent_FailsTheTickNamingTheFile_AndLaunchesNothing()
    {
        await using var runtime = await LakehouseRuntime.OpenAsync(new LakehouseOptions { Home = _home.Path, Workers = 1 }, Definitions.All(null), RuntimeRole.ClientOnly,
            new LoggerConfiguration().CreateLogger(), sensors: Definitions.Sensors());
        var landing = runtime.Resources.Objects.For(Layers.Landing);
        await PutAsync(landing, "v2/holes.geojson", """{"type":"FeatureCollection","features":[]}""");
        await PutAsync(landing, "manifests/v2.json", """{"batch_id": "v2", "uploader": "gis", "intent": "ingest_vector", "files": [{"path": "v2/holes.geojson", "type": "raster"}]}""");

        var tick = (await runtime.Sensors.EvaluateAsync(runtime.Sensors.Catalog.Get(ManifestSensor.Name), false, CancellationToken.None)).Tick!;

        Assert.Equal(SensorTickStatus.Failed, tick.Status);
        Assert.Contains("manifests/v2.json: files[0].type: 'raster' does not fit intent 'ingest_vector', which takes vector files", tick.Reason);
        Assert.Empty(await runtime.Instance.Runs.ListRunsAsync(new RunQuery(), CancellationToken.None));
        Assert.Empty(await runtime.Instance.Partitions.GetDynamicPartitionKeysAsync(SpatialTables.BatchPartitions, CancellationToken.None));
    }

    private static async Task PutAsync(IObjectStore store, string key, string text)
    {
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(text));
        await store.PutAsync(key, content, null, CancellationToken.None);
    }

    private static void Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} exited {process.ExitCode}: {error.Result}");
    }
}
