using System.Diagnostics;
using System.Globalization;
using TmLakehouse.Assets.Bronze;
using TmLakehouse.Assets.SampleData;

namespace TmLakehouse.Bench;

/// <summary>
/// The Gold figure as users get it: the whole `tmlake materialize --select GOLD --partition COURSE` process under GNU time (start-up,
/// model load, launch check, four steps through the in-process workers, Iceberg commits, instance writes). Its lake is built the way
/// landing builds one, untimed and once: `tmlake land` the same single export (which registers course_id=C,ingest_date=D and the
/// course as partitions), then `tmlake materialize` Bronze and Silver for that key, so Silver is materialized by a real run with
/// the real partition key — nothing is recorded by hand.
/// </summary>
internal static class GoldCliSide
{
    public sealed record Figure(double Seconds, double PeakRssMb, string Partition);

    public static async Task<Figure> RunAsync(int seed, int rounds, IReadOnlyList<string> models)
    {
        var dll = await TmlakeCli.BuildAsync();
        var (home, partition) = await EnsureLakeAsync(dll, seed, rounds);
        var clock = Stopwatch.StartNew();
        var (_, error) = await TmlakeCli.RunAsync(dll, home, "materialize", "-s", string.Join(',', models), "-p", GoldBenchmark.Course);
        clock.Stop();
        return new Figure(clock.Elapsed.TotalSeconds, MaxRssMb(error), partition);
    }

    /// <summary>GNU time's last MAXRSS_KB line (the bench's format), in MB.</summary>
    private static double MaxRssMb(string error)
    {
        var line = error.Split('\n').Select(l => l.Trim()).Last(l => l.StartsWith("MAXRSS_KB ", StringComparison.Ordinal));
        return long.Parse(line["MAXRSS_KB ".Length..], CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>TM_HOME of the CLI lake (Bronze and Silver of the single export, materialized by tmlake), built on first use.</summary>
    private static async Task<(string Home, string Partition)> EnsureLakeAsync(string dll, int seed, int rounds)
    {
        var folder = Path.Combine(Path.GetTempPath(), "tmlake-bench-gold", $"seed{seed}-rounds{rounds}-cli");
        var home = Path.Combine(folder, "home");
        var done = Path.Combine(folder, "silver.done");
        if (File.Exists(done))
        {
            var cached = File.ReadAllText(done).Trim();
            Console.WriteLine($"cli lake: {home} (cached), Silver materialized for {cached}");
            return (home, cached);
        }
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        var clock = Stopwatch.StartNew();
        var manifest = SampleDataGenerator.Generate(new SampleDataOptions
        {
            OutputDirectory = Path.Combine(folder, "export"), Seed = seed, RoundsPerCourse = rounds, Courses = [GoldBenchmark.Course], FilesPerCourse = 1, JsonCourses = [],
        });
        var file = manifest.Files.Single();
        var partition = BronzePartitions.KeyOf(GoldBenchmark.Course, file.IngestDate);
        await TmlakeCli.RunAsync(dll, home, "land", file.Path, "--course", GoldBenchmark.Course, "--ingest-date", BronzePartitions.Format(file.IngestDate));
        await TmlakeCli.RunAsync(dll, home, "materialize", "-s", "bronze/rounds_raw", "-p", partition);
        await TmlakeCli.RunAsync(dll, home, "materialize", "-s", "silver/fact_telemetry_event,silver/fact_device_health", "-p", partition);
        Directory.Delete(Path.Combine(folder, "export"), recursive: true); // Bronze holds its copy
        File.WriteAllText(done, partition);
        Console.WriteLine($"cli lake: {home}: landed {file.Bytes / 1e6:0} MB and materialized Bronze and Silver for {partition} with tmlake ({clock.Elapsed.TotalSeconds:0} s, untimed)");
        return (home, partition);
    }
}
