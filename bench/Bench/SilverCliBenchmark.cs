using System.Globalization;
using TmLakehouse.Assets.SampleData;

namespace TmLakehouse.Bench;

/// <summary>
/// Silver measured the way a user runs it (issue 16): `tmlake materialize --select silver/fact_telemetry_event --all-partitions`
/// as a child process over a fresh lake, against the DuckDB peer over the same files in the same run. Options: --rounds N (rounds
/// per course, default the pilot sample's 5,500), --course C (one course's export only), --scale K (again on K× the rounds: time
/// should grow at most 1.1·K×, peak RSS stay within the budget). The 1 GB linearity case is `--course erinhills --rounds 47500 --scale 4`.
/// </summary>
internal static class SilverCliBenchmark
{
    private const double ThroughputTarget = 5;
    private const double RssTargetMb = 350;
    private const double LinearSlack = 1.1;

    public static async Task RunAsync(string[] args)
    {
        var rounds = SilverBenchmark.Option(args, "--rounds", new SampleDataOptions { OutputDirectory = "" }.RoundsPerCourse);
        var seed = SilverBenchmark.Option(args, "--seed", new SampleDataOptions { OutputDirectory = "" }.Seed);
        var scale = SilverBenchmark.Option(args, "--scale", 1);
        var at = Array.IndexOf(args, "--course");
        var course = at >= 0 ? args[at + 1] : null;
        var dll = await TmlakeCli.BuildAsync();
        Console.WriteLine($"== silver, CLI whole process (ours: `tmlake materialize --all-partitions` child, default TM_WORKERS; peer: DuckDB child) ==");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {SilverBenchmark.LoadAverage()} (shared machine: other processes compete)");
        Console.WriteLine($"{"rounds",8} {"MB in",7} {"ours s",8} {"ours cpu s",11} {"ours RSS MB",12} {"files",6} {"duckdb s",9} {"duckdb cpu s",13} {"duckdb RSS MB",14} {"speed",7} {"rows out ours / duckdb",26}");
        var small = await MeasureAsync(dll, seed, rounds, course);
        if (scale <= 1) return;
        var large = await MeasureAsync(dll, seed, rounds * scale, course);
        var timeRatio = large.Ours.Seconds / small.Ours.Seconds;
        Console.WriteLine($"at {scale}× the rounds ({small.MegabytesIn:0} → {large.MegabytesIn:0} MB): ours time {timeRatio:0.00}× (target ≤ {LinearSlack * scale:0.0}×: " +
                          $"{SilverBenchmark.Verdict(timeRatio <= LinearSlack * scale)}), cpu {large.Ours.CpuSeconds / small.Ours.CpuSeconds:0.00}×, peak RSS {small.Ours.PeakRssMb:0} → {large.Ours.PeakRssMb:0} MB " +
                          $"(target ≤ {RssTargetMb} MB: {SilverBenchmark.Verdict(large.Ours.PeakRssMb <= RssTargetMb)}); duckdb time {large.DuckDb.Seconds / small.DuckDb.Seconds:0.00}×, " +
                          $"peak RSS {small.DuckDb.PeakRssMegabytes:0} → {large.DuckDb.PeakRssMegabytes:0} MB; load average {SilverBenchmark.LoadAverage()}");
    }

    private sealed record Measured(double MegabytesIn, TmlakeCli.SilverRun Ours, SideResult DuckDb);

    private static async Task<Measured> MeasureAsync(string dll, int seed, int rounds, string? course)
    {
        var manifest = SilverSample.Ensure(seed, rounds, course);
        var folder = SilverSample.Folder(seed, rounds, course);
        var ours = await TmlakeCli.SilverAsync(dll, manifest);
        var duck = await SilverBenchmark.RunChildAsync(["silver-duckdb", folder]);
        var speed = duck.Seconds / ours.Seconds;
        var megabytes = manifest.TotalBytes / 1e6;
        Console.WriteLine($"{manifest.Files.Sum(f => f.Rounds),8} {megabytes,7:0} {ours.Seconds,8:0.00} {ours.CpuSeconds,11:0.00} {ours.PeakRssMb,12:0} {ours.Files,6} " +
                          $"{duck.Seconds,9:0.00} {duck.Phases.GetValueOrDefault("cpu_s"),13:0.00} {duck.PeakRssMegabytes,14:0} {speed,6:0.00}× {ours.RowsOut,12:N0} / {duck.RowsOut:N0}");
        Console.WriteLine($"  targets: ≥ {ThroughputTarget}× duckdb {SilverBenchmark.Verdict(speed >= ThroughputTarget)}; ≤ {RssTargetMb} MB {SilverBenchmark.Verdict(ours.PeakRssMb <= RssTargetMb)}; " +
                          $"rows out {(ours.RowsOut == duck.RowsOut ? "equal" : "DIFFER")}; ours {megabytes / ours.Seconds / Environment.ProcessorCount:0.0} MB/s per core " +
                          $"(reference ~200 MB/s per core for CSV parsing); duckdb's time includes no process start, ours does; load average {SilverBenchmark.LoadAverage()}");
        return new Measured(megabytes, ours, duck);
    }
}
