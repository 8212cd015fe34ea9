using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Quality;
using TmLakehouse.Assets.Spatial;
using TmLakehouse.Assets.Spatial.Output;
using TmLakehouse.Assets.Spatial.Raster;
using TmLakehouse.Assets.Tests.Fakes;

namespace Assets.Tests.Spatial;

/// <summary>
/// Rasters: with the real gdal-bin tools, an EPSG:3857 GeoTIFF becomes a COG with overviews in EPSG:4326 (checked by
/// gdalinfo -json on the stored object) and a ledger row with its SHA-256; a file GDAL cannot open fails the batch naming
/// it, with a quarantine report and nothing stored. A replaced runner pins the commands the pipeline gives GDAL.
/// </summary>
public sealed class RasterBatchIngestTests : IDisposable
{
    private readonly TestLake _lake = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("tm-raster-tests-").FullName;

    public void Dispose()
    {
        _lake.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private string MercatorTiff(string name) => SpatialFiles.MercatorTiff(_folder, name, 1024);

    private RasterBatchIngest Ingest(IGdalRunner? runner = null) => new(_lake.Resources, runner ?? new ProcessGdalRunner(), _lake.Clock);

    [Fact]
    public async Task AMercatorGeoTiff_BecomesACogWithOverviews_InEpsg4326_WithALedgerRow()
    {
        var tiff = MercatorTiff("ortho.tif");
        var batch = new SpatialBatch("r1", RasterBatchIngest.Intent, [new SpatialFile("r1/ortho.tif", tiff, "GeoTIFF", null)]) { Uploader = "ops" };

        var result = await Ingest().RunAsync(batch, "run-3", default);

        var output = Assert.Single(result.Outputs);
        Assert.Equal("ortho/cog/batch_id=r1/ortho.tif", output.Key);
        var stored = ((LocalObjectStore)_lake.Objects.For(Layers.Spatial)).PathOf(output.Key);
        IGdalRunner gdal = new ProcessGdalRunner();
        var info = await gdal.RunAsync("gdalinfo", ["-json", stored], default);
        using var json = JsonDocument.Parse(info.StandardOutput);
        var root = json.RootElement;
        Assert.Equal("COG", root.GetProperty("metadata").GetProperty("IMAGE_STRUCTURE").GetProperty("LAYOUT").GetString());
        Assert.True(root.GetProperty("bands")[0].GetProperty("overviews").GetArrayLength() >= 1);
        Assert.EndsWith("ID[\"EPSG\",4326]]", root.GetProperty("coordinateSystem").GetProperty("wkt").GetString());
        var corner = root.GetProperty("cornerCoordinates").GetProperty("upperLeft");
        Assert.Equal(-88.0439, corner[0].GetDouble(), 1e-3);
        Assert.Equal(43.7056, corner[1].GetDouble(), 1e-3);

        var entry = Assert.Single(await _lake.Ledger.ListAsync("spatial/ortho/batch_id=r1", default));
        Assert.Equal((LedgerFormats.Cog, Layers.Spatial, "EPSG:4326", "r1", "ops"), (entry.Format, entry.Layer, entry.Crs, entry.BatchId, entry.Uploader));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(stored))), entry.Sha256);
        Assert.Equal(-88.0439, entry.Bbox!.Value.MinX, 1e-3);
        Assert.Equal(["r1"], await _lake.Partitions.GetDynamicPartitionKeysAsync(SpatialTables.BatchPartitions, default));
    }

    [Fact]
    public async Task ARasterGdalCannotOpen_FailsNamingIt_WritesAQuarantineReport_AndStoresNothing()
    {
        var good = MercatorTiff("good.tif");
        var bad = Path.Combine(_folder, "broken.tif");
        File.WriteAllText(bad, "not a tiff");
        var batch = new SpatialBatch("r2", RasterBatchIngest.Intent,
            [new SpatialFile("r2/good.tif", good, null, null), new SpatialFile("r2/broken.tif", bad, null, null)]);

        var e = await Assert.ThrowsAsync<SpatialInputException>(() => Ingest().RunAsync(batch, "run-4", default));

        Assert.Equal("r2/broken.tif", e.File);
        Assert.Contains("GDAL cannot open it", e.Message);
        var writer = new QuarantineWriter(_lake.Objects);
        var report = await writer.ReadAsync(Assert.Single(await writer.ListReportKeysAsync("spatial/", default)), default);
        Assert.Equal((true, e.Message), (report.StepFailed, report.Error));
        Assert.Empty(await _lake.KeysAsync(_lake.Objects.For(Layers.Spatial)));
        Assert.Empty(await _lake.Ledger.ListAsync(null, default));
    }

    [Fact]
    public async Task TheManifestsCrs_IsGivenToGdalwarp_AndTheCogIsWrittenWithOverviews()
    {
        var runner = new RecordingGdalRunner(new ProcessGdalRunner());
        var tiff = MercatorTiff("given.tif");
        var batch = new SpatialBatch("r3", RasterBatchIngest.Intent, [new SpatialFile("r3/given.tif", tiff, null, "EPSG:3857")]);

        await Ingest(runner).RunAsync(batch, "run-5", default);

        Assert.Equal(["gdalinfo", "gdalwarp", "gdal_translate", "gdalinfo"], runner.Calls.Select(c => c.Tool));
        var warp = runner.Calls[1].Arguments;
        Assert.Equal("EPSG:4326", warp[warp.IndexOf("-t_srs") + 1]);
        Assert.Equal("EPSG:3857", warp[warp.IndexOf("-s_srs") + 1]);
        var translate = runner.Calls[2].Arguments;
        Assert.Equal("COG", translate[translate.IndexOf("-of") + 1]);
    }

    [Fact]
    public async Task ARasterWithoutCrs_AndNoneInTheManifest_FailsBeforeWarping()
    {
        var runner = new RecordingGdalRunner(new AnswerRunner("""{"size":[4,4],"bands":[{}]}"""));
        var batch = new SpatialBatch("r4", RasterBatchIngest.Intent, [new SpatialFile("r4/plain.tif", Path.Combine(_folder, "plain.tif"), null, null)]);

        var e = await Assert.ThrowsAsync<SpatialInputException>(() => Ingest(runner).RunAsync(batch, "run-6", default));

        Assert.Equal("r4/plain.tif: the raster carries no CRS and the manifest gives none", e.Message);
        Assert.Equal(["gdalinfo"], runner.Calls.Select(c => c.Tool));
    }

    /// <summary>Answers every call with one gdalinfo description: a raster GDAL opens but that carries no CRS.</summary>
    private sealed class AnswerRunner(string json) : IGdalRunner
    {
        public Task<GdalResult> RunAsync(string tool, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken) =>
            Task.FromResult(new GdalResult(0, json, ""));
    }
}
