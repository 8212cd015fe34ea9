using System.Globalization;
using TmLakehouse.Assets.SampleData;

namespace TmLakehouse.Bench;

/// <summary>
/// Issue 16's full-history case, measured the way a user runs it: one course's export whose rounds spread over many event
/// dates in no order, landed and Bronze-materialized (untimed), then `tmlake materialize --select silver/fact_telemetry_event`
/// timed as a child process with its peak RSS (GNU time), against the DuckDB peer over the same files in the same run.
/// Options: --rounds N (rounds for 90 days, default 20,000; 360 days get 4× as many, so time should grow 4×), --days 90,360.
/// </summary>
internal static class SilverDaysBenchmark
{
    private const string Course = "erinhills";
    private const double ThroughputTarget = 3;
    private const double RssTargetMb = 350;

    public static async Task RunAsync(string[] args)
    {
        var rounds90 = SilverBenchmark.Option(args, "--rounds", 20_000);
        var seed = SilverBenchmark.Option(args, "--seed", new SampleDataOptions { OutputDirectory = "" }.Seed);
        var at = Array.IndexOf(args, "--days");
        var days = at >= 0 ? args[at + 1].Split(',').Select(d => int.Parse(d, CultureInfo.InvariantCulture)).ToArray() : [90, 360];
        var dll = await TmlakeCli.BuildAsync();
        Console.WriteLine($"== silver over many event days (ours: `tmlake materialize` child process; peer: DuckDB child process) ==");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {SilverBenchmark.LoadAverage()} (shared machine: other processes compete)");
        Console.WriteLine($"{"days",5} {"MB in",7} {"ours s",8} {"ours RSS MB",12} {"files",7} {"files/day",10} {"duckdb s",9} {"duckdb RSS MB",14} {"speed",7} {"rows out ours / duckdb",26}");
        foreach (var d in days)
        {
            var rounds = (int)((long)rounds90 * d / 90);
            var manifest = SilverSample.Ensure(seed, rounds, Course, d);
            var folder = SilverSample.Folder(seed, rounds, Course, d);
            var ours = await TmlakeCli.SilverAsync(dll, manifest);
            var duck = await SilverBenchmark.RunChildAsync(["silver-duckdb", folder]);
            var speed = duck.Seconds / ours.Seconds;
            Console.WriteLine($"{d,5} {manifest.TotalBytes / 1e6,7:0} {ours.Seconds,8:0.00} {ours.PeakRssMb,12:0} {ours.Files,7} {(double)ours.Files / ours.EventDates,10:0.00} " +
                              $"{duck.Seconds,9:0.00} {duck.PeakRssMegabytes,14:0} {speed,6:0.00}× {ours.RowsOut,12:N0} / {duck.RowsOut:N0}");
            Console.WriteLine($"  targets: ≥ {ThroughputTarget}× duckdb {SilverBenchmark.Verdict(speed >= ThroughputTarget)}; ≤ {RssTargetMb} MB {SilverBenchmark.Verdict(ours.PeakRssMb <= RssTargetMb)}; " +
                              $"≤ 2 files per event date {SilverBenchmark.Verdict(ours.Files <= 2 * ours.EventDates)}; rows out {(ours.RowsOut == duck.RowsOut ? "equal" : "DIFFER")}; " +
                              $"ours {manifest.TotalBytes / 1e6 / ours.Seconds / Environment.ProcessorCount:0.0} MB/s per core (reference ~200 MB/s per core for CSV parsing); load average {SilverBenchmark.LoadAverage()}");
        }
    }
}
