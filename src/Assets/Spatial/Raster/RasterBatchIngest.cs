using System.Globalization;
using System.Text.Json;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Quality;
using TmLakehouse.Assets.Bronze;
using TmLakehouse.Assets.Spatial.Output;

namespace TmLakehouse.Assets.Spatial.Raster;

/// <summary>
/// One raster batch (intent <c>ingest_raster</c>, LANDING_AND_SPATIAL §3): every file is opened with <c>gdalinfo</c>,
/// reprojected with <c>gdalwarp</c> to the target CRS, and written as a Cloud Optimized GeoTIFF with overviews by
/// <c>gdal_translate -of COG</c>. All files are converted before any is stored, so a file GDAL cannot open fails the batch
/// naming it, with a quarantine report, and nothing reaches the lake. Each COG gets a ledger row with its SHA-256.
/// </summary>
public sealed class RasterBatchIngest(LakehouseResources resources, IGdalRunner gdal, TimeProvider clock)
{
    public const string Intent = "ingest_raster";
    public const string TargetCrs = "EPSG:4326";

    /// <summary>The key of a raster's COG for one batch, in the spatial bucket.</summary>
    public static string CogKeyOf(string dataset, string batchId) => $"{dataset}/cog/batch_id={batchId}/{dataset}.tif";

    public async Task<RasterBatchResult> RunAsync(SpatialBatch batch, string runId, CancellationToken cancellationToken)
    {
        var work = Directory.CreateTempSubdirectory("tm-raster-").FullName;
        try
        {
            var converted = new List<(SpatialFile File, string Cog, RasterInfo Info)>();
            try
            {
                if (batch.Files.Count == 0) throw new SpatialInputException(batch.BatchId, null, "the batch has no raster files");
                foreach (var file in batch.Files)
                    converted.Add(await ConvertAsync(file, work, cancellationToken));
            }
            catch (SpatialInputException e)
            {
                await new QuarantineWriter(resources.Objects).WriteAsync(batch.FailureReport("cog", runId, e.Message, clock.GetUtcNow()), null, cancellationToken);
                throw;
            }

            var store = resources.Objects.For(Layers.Spatial);
            var outputs = new List<RasterOutput>();
            var ledger = new SpatialLedger(resources.Instance.Ledger, batch);
            try
            {
                foreach (var (file, cog, info) in converted)
                {
                    var key = CogKeyOf(file.DatasetName, batch.BatchId);
                    var sha256 = await FileHashing.Sha256OfFileAsync(cog, cancellationToken);
                    // The row before the put, so the COG carries the row's id in its metadata.
                    var metadata = await ledger.RecordAsync(new LedgerEntry(key, $"{SpatialTables.Namespace}/{file.DatasetName}/batch_id={batch.BatchId}", new FileInfo(cog).Length,
                        sha256, runId, 0, clock.GetUtcNow()) { Layer = Layers.Spatial, Format = LedgerFormats.Cog, Crs = TargetCrs, Bbox = info.Bbox }, cancellationToken);
                    await store.PutFileAsync(key, cog, metadata, cancellationToken);
                    outputs.Add(new RasterOutput(file.LandingKey, key, ledger.Added[^1], info));
                }
            }
            catch
            {
                await ledger.TakeBackAsync();
                throw;
            }
            await resources.Instance.Partitions.AddDynamicPartitionKeysAsync(SpatialTables.BatchPartitions, [batch.BatchId], cancellationToken);
            return new RasterBatchResult(outputs);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private async Task<(SpatialFile, string, RasterInfo)> ConvertAsync(SpatialFile file, string work, CancellationToken cancellationToken)
    {
        var source = await InfoAsync(file.LocalPath, file.LandingKey, cancellationToken);
        var stem = Path.Combine(work, file.DatasetName + "-" + Guid.NewGuid().ToString("N")[..8]);
        var warped = stem + ".warped.tif";
        var cog = stem + ".cog.tif";
        List<string> warp = ["-q", "-overwrite", "-t_srs", TargetCrs, "-of", "GTiff"];
        // A raster whose CRS the file does not carry needs the manifest's.
        if (file.Crs is { } given) warp.AddRange(["-s_srs", given]);
        else if (!source.HasCrs) throw new SpatialInputException(file.LandingKey, null, "the raster carries no CRS and the manifest gives none");
        await RequireAsync("gdalwarp", [.. warp, file.LocalPath, warped], file.LandingKey, cancellationToken);
        await RequireAsync("gdal_translate", ["-q", "-of", "COG", "-co", "COMPRESS=DEFLATE", "-co", "OVERVIEWS=IGNORE_EXISTING", warped, cog], file.LandingKey, cancellationToken);
        File.Delete(warped);
        return (file, cog, await InfoAsync(cog, file.LandingKey, cancellationToken));
    }

    private async Task RequireAsync(string tool, IReadOnlyList<string> arguments, string file, CancellationToken cancellationToken)
    {
        var result = await gdal.RunAsync(tool, arguments, cancellationToken);
        if (result.ExitCode != 0) throw new SpatialInputException(file, null, $"{tool} failed (exit {result.ExitCode}): {result.StandardError.Trim()}");
    }

    private async Task<RasterInfo> InfoAsync(string path, string file, CancellationToken cancellationToken)
    {
        var result = await gdal.RunAsync("gdalinfo", ["-json", path], cancellationToken);
        if (result.ExitCode != 0) throw new SpatialInputException(file, null, $"GDAL cannot open it as a raster: {result.StandardError.Trim()}");
        return RasterInfo.Parse(result.StandardOutput, file);
    }
}

/// <summary>What <c>gdalinfo -json</c> says of a raster: size, whether it carries a CRS, its lon/lat extent, COG layout and overviews.</summary>
public sealed record RasterInfo(int Width, int Height, bool HasCrs, LedgerBoundingBox? Bbox, string? Layout, int Overviews, string Wkt)
{
    public static RasterInfo Parse(string json, string file)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var size = root.GetProperty("size");
            var wkt = root.TryGetProperty("coordinateSystem", out var cs) && cs.TryGetProperty("wkt", out var w) ? w.GetString() ?? "" : "";
            LedgerBoundingBox? bbox = null;
            if (root.TryGetProperty("wgs84Extent", out var extent))
            {
                var ring = extent.GetProperty("coordinates")[0].EnumerateArray().Select(p => (X: p[0].GetDouble(), Y: p[1].GetDouble())).ToList();
                bbox = new LedgerBoundingBox(ring.Min(p => p.X), ring.Min(p => p.Y), ring.Max(p => p.X), ring.Max(p => p.Y));
            }
            var layout = root.TryGetProperty("metadata", out var m) && m.TryGetProperty("IMAGE_STRUCTURE", out var s) && s.TryGetProperty("LAYOUT", out var l) ? l.GetString() : null;
            var overviews = root.GetProperty("bands")[0].TryGetProperty("overviews", out var o) ? o.GetArrayLength() : 0;
            return new RasterInfo(size[0].GetInt32(), size[1].GetInt32(), wkt.Length > 0, bbox, layout, overviews, wkt);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw new SpatialInputException(file, null, string.Create(CultureInfo.InvariantCulture, $"gdalinfo's description could not be read: {e.Message}"), e);
        }
    }
}

/// <summary>The COGs of a raster batch.</summary>
public sealed record RasterBatchResult(IReadOnlyList<RasterOutput> Outputs);

/// <summary>One source raster's COG: where it is, its ledger row, and what gdalinfo says of it.</summary>
public sealed record RasterOutput(string SourceFile, string Key, LedgerEntry Ledger, RasterInfo Info);
