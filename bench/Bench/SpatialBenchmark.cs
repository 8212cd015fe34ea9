using System.Diagnostics;
using System.Globalization;
using System.Text;
using Lakehouse.Core.Config;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Tables.Catalog;
using TmLakehouse.Assets.Spatial;
using TmLakehouse.Assets.Spatial.Output;
using TmLakehouse.Assets.Spatial.Raster;
using TmLakehouse.Assets.Spatial.Reading;
using TmLakehouse.Assets.Spatial.Recipes;

namespace TmLakehouse.Bench;

/// <summary>
/// Vector recipes (issue 13): normalize CRS (EPSG:3857 → 4326) + simplify + GeoParquet of 100,000 polygons, in process and
/// on PostGIS (a throwaway server like the tests', or --postgres CONN with PostGIS), beside ogr2ogr doing the same
/// reprojection and simplification to GeoJSON as the peer. Reading the GeoJSON is timed apart once, and again inside each side (the in-process engine streams it through the steps). PostGIS is timed with its
/// input loaded both ways (ogr2ogr, the engine's configured path, and COPY). Beside them, the whole `tmlake` process a user
/// runs: the same file landed with a manifest, one tick of the manifest sensor, peak RSS from GNU time.
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
            // The CLI is built (when its sources changed) before anything is timed.
            var dll = await TmlakeCli.BuildAsync();
            var input = WritePolygons(Path.Combine(folder, "polygons.geojson"), count);
            var read = Stopwatch.StartNew();
            var features = VectorFileReader.Open(input, "bench/polygons.geojson", "GeoJSON", "EPSG:3857").Features().Count();
            Console.WriteLine($"read GeoJSON (NTS, streamed): {read.Elapsed.TotalSeconds:0.00} s, {features / read.Elapsed.TotalSeconds:N0} features/s; input {new FileInfo(input).Length / 1048576.0:0.0} MiB");
            var recipe = new VectorRecipe("bench", [new NormalizeCrsStep(), new SimplifyStep()]);

            var inProcess = await TimeAsync("in process", folder, input, recipe, new InProcessVectorEngine());
            double? postgis = null;
            await using (var server = await BenchPostgres.OpenAsync(BenchOptions.From(args).Postgres, postgis: true))
                if (server is not null)
                {
                    // ogr2ogr reads the file again on its side; COPY sends the features this process read.
                    postgis = await TimeAsync("postgis (ogr2ogr load)", folder, input, recipe,
                        new PostGisVectorEngine(server.ConnectionString, TimeProvider.System, PostGisVectorEngine.DefaultLease, new Ogr2OgrLoader(new ProcessGdalRunner())));
                    await TimeAsync("postgis (COPY load)", folder, input, recipe, new PostGisVectorEngine(server.ConnectionString, TimeProvider.System, PostGisVectorEngine.DefaultLease));
                    PrintCli("tmlake, TM_POSTGIS_URL", await CliAsync(dll, input, new Dictionary<string, string> { ["TM_POSTGIS_URL"] = server.ConnectionString }), "on PostGIS, ogr2ogr load");
                }

            var ogr = Stopwatch.StartNew();
            var output = Path.Combine(folder, "ogr2ogr.geojson");
            string ogrError;
            // Under GNU time like the tmlake process, so both peak RSS figures come from the same run and the same tool.
            using (var process = Process.Start(new ProcessStartInfo("/usr/bin/time",
                       ["-f", "MAXRSS_KB %M\nUSER_S %U\nSYS_S %S", "ogr2ogr", "-f", "GeoJSON", "-s_srs", "EPSG:3857", "-t_srs", "EPSG:4326", "-simplify", "1.1", output, input]) { RedirectStandardError = true })!)
            {
                ogrError = await process.StandardError.ReadToEndAsync();
                await process.WaitForExitAsync();
                if (process.ExitCode != 0) throw new InvalidOperationException("ogr2ogr failed: " + ogrError);
            }
            var peer = count / ogr.Elapsed.TotalSeconds;
            var ogrRss = TmlakeCli.TimeLine(ogrError, "MAXRSS_KB ") / 1024.0;
            Console.WriteLine($"{"ogr2ogr → GeoJSON",-26} {ogr.Elapsed.TotalSeconds,8:0.00} s {peer,12:N0} features/s (peer; peak RSS {ogrRss:N0} MB)");

            var cli = await CliAsync(dll, input, new Dictionary<string, string>());
            PrintCli("tmlake, embedded", cli, "in process");
            Console.WriteLine($"ratio in process / ogr2ogr: {inProcess / peer:0.00}" + (postgis is { } p ? $"; postgis (ogr2ogr load) / ogr2ogr: {p / peer:0.00}" : "; postgis: not measured") +
                              $"; tmlake / ogr2ogr: {cli.Features / cli.Seconds / peer:0.00}");
            Console.WriteLine($"peak RSS: tmlake embedded {cli.PeakRssMb:N0} MB, ogr2ogr {ogrRss:N0} MB, input {new FileInfo(input).Length / 1048576.0:0.0} MiB");
            Console.WriteLine($"load average at the end: {SilverBenchmark.LoadAverage()}");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Runs the recipe on one engine and writes the result as a spatial table; returns features per second.</summary>
    private static async Task<double> TimeAsync(string side, string folder, string input, VectorRecipe recipe, IVectorEngine engine)
    {
        var home = Path.Combine(folder, side.Replace(' ', '_'));
        var objects = new LocalObjectStoreProvider(new LakehouseOptions { Home = home });
        Directory.CreateDirectory(home);
        var catalog = TableCatalogs.Sqlite(Path.Combine(home, "catalog.db"), objects, TimeProvider.System);
        var clock = Stopwatch.StartNew();
        // Read as part of the recipe: the in-process engine streams the file through its steps.
        using var processed = await engine.ProcessAsync(VectorFileReader.Open(input, "bench/polygons.geojson", "GeoJSON", "EPSG:3857"), recipe, "bench-" + Guid.NewGuid().ToString("N")[..8], default);
        var recipeSeconds = clock.Elapsed.TotalSeconds;
        var table = await catalog.CreateOrLoadAsync(SpatialTables.Vector("bench"), default);
        var commit = await VectorTableWriter.ReplaceBatchAsync(table, "b1", [processed], new Dictionary<string, string>(), null, default);
        var seconds = clock.Elapsed.TotalSeconds;
        var rate = processed.Count / seconds;
        Console.WriteLine($"{side,-26} {seconds,8:0.00} s {rate,12:N0} features/s (read + recipe {recipeSeconds:0.00} s, GeoParquet {seconds - recipeSeconds:0.00} s, {commit.AddedBytes / 1048576.0:0.0} MiB)");
        return rate;
    }

    private static void PrintCli(string side, (double Seconds, double PeakRssMb, double CpuSeconds, long Features, double StepSeconds) cli, string engine) =>
        Console.WriteLine($"{side,-26} {cli.Seconds,8:0.00} s {cli.Features / cli.Seconds,12:N0} features/s (whole process: step {cli.StepSeconds:0.00} s, peak RSS {cli.PeakRssMb:N0} MB, CPU {cli.CpuSeconds:0.0} s; " +
                          $"manifest checks + SHA-256 + read + make_valid, normalize_crs, simplify, spatial_index + GeoParquet + ledger, {engine})");

    /// <summary>
    /// What a user runs: the polygons landed with a manifest in a fresh TM_HOME (untimed), then `tmlake sensors tick
    /// landing_manifests` as a child process under GNU time (the spatial/ingest_vector run, embedded; on PostGIS when
    /// <paramref name="settings"/> give TM_POSTGIS_URL).
    /// </summary>
    private static async Task<(double Seconds, double PeakRssMb, double CpuSeconds, long Features, double StepSeconds)> CliAsync(string dll, string input, IReadOnlyDictionary<string, string> settings)
    {
        var home = Path.Combine(Path.GetTempPath(), "tmlake-bench-spatial-cli-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var landing = Path.Combine(home, "lake", "tm-landing");
            Directory.CreateDirectory(Path.Combine(landing, "bench"));
            Directory.CreateDirectory(Path.Combine(landing, "manifests"));
            File.Copy(input, Path.Combine(landing, "bench", "polygons.geojson"));
            await File.WriteAllTextAsync(Path.Combine(landing, "manifests", "bench.json"),
                """{"batch_id": "bench", "uploader": "bench", "intent": "ingest_vector", "files": [{"path": "bench/polygons.geojson", "type": "vector", "format": "GeoJSON", "crs": "EPSG:3857"}], "metadata": {"title": "bench polygons"}}""");
            var clock = Stopwatch.StartNew();
            var (followed, error) = await TmlakeCli.RunAsync(dll, home, settings, "sensors", "tick", "landing_manifests");
            clock.Stop();
            // The step's own duration as the follower printed it: the rest of the wall time is the process and the run around it.
            var step = System.Text.RegularExpressions.Regex.Match(followed, @"succeeded\s+spatial/ingest_vector\[bench\] \((?<s>[0-9.]+) s\)");
            var (count, _) = await TmlakeCli.RunAsync(dll, home, "query", "select count(*) from spatial.polygons", "-f", "csv");
            return (clock.Elapsed.TotalSeconds, TmlakeCli.TimeLine(error, "MAXRSS_KB ") / 1024.0, TmlakeCli.TimeLine(error, "USER_S ") + TmlakeCli.TimeLine(error, "SYS_S "),
                long.Parse(count.Trim().Split('\n')[^1].Trim('"'), CultureInfo.InvariantCulture),
                step.Success ? double.Parse(step.Groups["s"].Value, CultureInfo.InvariantCulture) : double.NaN);
        }
        finally
        {
            if (Directory.Exists(home)) Directory.Delete(home, recursive: true);
        }
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
