using System.Diagnostics;
using System.Globalization;
using System.Text;
using Lakehouse.Core.Config;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Tables.Catalog;
using TmLakehouse.Assets.Spatial;
using TmLakehouse.Assets.Spatial.Output;
using TmLakehouse.Assets.Spatial.Reading;
using TmLakehouse.Assets.Spatial.Recipes;

namespace TmLakehouse.Bench;

/// <summary>
/// Vector recipes (issue 13): normalize CRS (EPSG:3857 → 4326) + simplify + GeoParquet of 100,000 polygons, in process and
/// on PostGIS (a throwaway server like the tests', or --postgres CONN with PostGIS), beside ogr2ogr doing the same
/// reprojection and simplification to GeoJSON as the peer. Reading the GeoJSON is timed apart, once.
/// </summary>
internal static class SpatialBenchmark
{
    private const int Vertices = 16;

    public static async Task RunAsync(string[] args)
    {
        var count = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 100_000;
        var folder = Directory.CreateTempSubdirectory("tm-bench-spatial-").FullName;
        try
        {
            Console.WriteLine($"== spatial ({count:N0} polygons of {Vertices} vertices in EPSG:3857 → normalize_crs + simplify + GeoParquet; peer: ogr2ogr to GeoJSON) ==");
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {SilverBenchmark.LoadAverage()} (shared machine: other processes compete)");
            var input = WritePolygons(Path.Combine(folder, "polygons.geojson"), count);
            var read = Stopwatch.StartNew();
            var layer = VectorFileReader.Read(input, "bench/polygons.geojson", "GeoJSON", "EPSG:3857");
            Console.WriteLine($"read GeoJSON (NTS): {read.Elapsed.TotalSeconds:0.00} s, {layer.Features.Count / read.Elapsed.TotalSeconds:N0} features/s");
            var recipe = new VectorRecipe("bench", [new NormalizeCrsStep(), new SimplifyStep()]);

            var inProcess = await TimeAsync("in process", folder, layer, recipe, new InProcessVectorEngine());
            double? postgis = null;
            await using (var server = await BenchPostgres.OpenAsync(BenchOptions.From(args).Postgres, postgis: true))
                if (server is not null)
                    postgis = await TimeAsync("postgis", folder, layer, recipe, new PostGisVectorEngine(server.ConnectionString, TimeProvider.System, PostGisVectorEngine.DefaultLease));

            var ogr = Stopwatch.StartNew();
            var output = Path.Combine(folder, "ogr2ogr.geojson");
            using (var process = Process.Start(new ProcessStartInfo("ogr2ogr", ["-f", "GeoJSON", "-s_srs", "EPSG:3857", "-t_srs", "EPSG:4326", "-simplify", "1.1", output, input]) { RedirectStandardError = true })!)
            {
                await process.WaitForExitAsync();
                if (process.ExitCode != 0) throw new InvalidOperationException("ogr2ogr failed: " + await process.StandardError.ReadToEndAsync());
            }
            var peer = count / ogr.Elapsed.TotalSeconds;
            Console.WriteLine($"{"ogr2ogr → GeoJSON",-22} {ogr.Elapsed.TotalSeconds,8:0.00} s {peer,12:N0} features/s (peer)");
            Console.WriteLine($"ratio in process / ogr2ogr: {inProcess / peer:0.00}" + (postgis is { } p ? $"; postgis / ogr2ogr: {p / peer:0.00}" : "; postgis: not measured"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Runs the recipe on one engine and writes the result as a spatial table; returns features per second.</summary>
    private static async Task<double> TimeAsync(string side, string folder, VectorLayer layer, VectorRecipe recipe, IVectorEngine engine)
    {
        var home = Path.Combine(folder, side.Replace(' ', '_'));
        var objects = new LocalObjectStoreProvider(new LakehouseOptions { Home = home });
        Directory.CreateDirectory(home);
        var catalog = TableCatalogs.Sqlite(Path.Combine(home, "catalog.db"), objects, TimeProvider.System);
        var clock = Stopwatch.StartNew();
        var processed = await engine.RunAsync(layer, recipe, "bench-" + Guid.NewGuid().ToString("N")[..8], default);
        var recipeSeconds = clock.Elapsed.TotalSeconds;
        var table = await catalog.CreateOrLoadAsync(SpatialTables.Vector("bench"), default);
        var commit = await VectorTableWriter.ReplaceBatchAsync(table, "b1", [processed], new Dictionary<string, string>(), null, default);
        var seconds = clock.Elapsed.TotalSeconds;
        var rate = layer.Features.Count / seconds;
        Console.WriteLine($"{side,-22} {seconds,8:0.00} s {rate,12:N0} features/s (recipe {recipeSeconds:0.00} s, GeoParquet {seconds - recipeSeconds:0.00} s, {commit.AddedBytes / 1048576.0:0.0} MiB)");
        return rate;
    }

    /// <summary>Polygons near Erin Hills in Web Mercator: 16-vertex rings of ~30 m on a grid, written as one FeatureCollection.</summary>
    private static string WritePolygons(string path, int count)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        writer.Write("{\"type\":\"FeatureCollection\",\"features\":[");
        var side = (int)Math.Ceiling(Math.Sqrt(count));
        for (var i = 0; i < count; i++)
        {
            double cx = -9_810_000 + (i % side) * 80, cy = 5_350_000 + (i / side) * 80;
            if (i > 0) writer.Write(',');
            writer.Write("{\"type\":\"Feature\",\"properties\":{\"id\":");
            writer.Write(i.ToString(CultureInfo.InvariantCulture));
            writer.Write("},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[");
            for (var v = 0; v <= Vertices; v++)
            {
                var angle = 2 * Math.PI * (v % Vertices) / Vertices;
                var r = 30 + 3 * Math.Sin(5 * angle);
                if (v > 0) writer.Write(',');
                writer.Write(string.Create(CultureInfo.InvariantCulture, $"[{cx + r * Math.Cos(angle):0.###},{cy + r * Math.Sin(angle):0.###}]"));
            }
            writer.Write("]]}}");
        }
        writer.Write("]}");
        return path;
    }
}
