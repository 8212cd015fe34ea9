using System.Diagnostics;
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
        var dll = await BuildTmlakeAsync();
        Console.WriteLine($"== silver over many event days (ours: `tmlake materialize` child process; peer: DuckDB child process) ==");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {SilverBenchmark.LoadAverage()} (shared machine: other processes compete)");
        Console.WriteLine($"{"days",5} {"MB in",7} {"ours s",8} {"ours RSS MB",12} {"files",7} {"files/day",10} {"duckdb s",9} {"duckdb RSS MB",14} {"speed",7} {"rows out ours / duckdb",26}");
        foreach (var d in days)
        {
            var rounds = (int)((long)rounds90 * d / 90);
            var manifest = SilverSample.Ensure(seed, rounds, Course, d);
            var folder = SilverSample.Folder(seed, rounds, Course, d);
            var ours = await OursAsync(dll, manifest);
            var duck = await SilverBenchmark.RunChildAsync(["silver-duckdb", folder]);
            var speed = duck.Seconds / ours.Seconds;
            Console.WriteLine($"{d,5} {manifest.TotalBytes / 1e6,7:0} {ours.Seconds,8:0.00} {ours.PeakRssMb,12:0} {ours.Files,7} {(double)ours.Files / ours.EventDates,10:0.00} " +
                              $"{duck.Seconds,9:0.00} {duck.PeakRssMegabytes,14:0} {speed,6:0.00}× {ours.RowsOut,12:N0} / {duck.RowsOut:N0}");
            Console.WriteLine($"  targets: ≥ {ThroughputTarget}× duckdb {SilverBenchmark.Verdict(speed >= ThroughputTarget)}; ≤ {RssTargetMb} MB {SilverBenchmark.Verdict(ours.PeakRssMb <= RssTargetMb)}; " +
                              $"≤ 2 files per event date {SilverBenchmark.Verdict(ours.Files <= 2 * ours.EventDates)}; rows out {(ours.RowsOut == duck.RowsOut ? "equal" : "DIFFER")}; " +
                              $"ours {manifest.TotalBytes / 1e6 / ours.Seconds / Environment.ProcessorCount:0.0} MB/s per core (reference ~200 MB/s per core for CSV parsing); load average {SilverBenchmark.LoadAverage()}");
        }
    }

    private sealed record CliSide(double Seconds, double PeakRssMb, long RowsOut, int Files, int EventDates);

    private static async Task<CliSide> OursAsync(string dll, SampleDataManifest manifest)
    {
        var home = Path.Combine(Path.GetTempPath(), "tmlake-bench-days-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var day = manifest.Files[0].IngestDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var partition = $"course_id={Course},ingest_date={day}";
            foreach (var file in manifest.Files) await TmlakeAsync(dll, home, "land", file.Path, "--course", Course, "--ingest-date", day);
            await TmlakeAsync(dll, home, "materialize", "-s", "bronze/rounds_raw", "-p", partition);
            var clock = Stopwatch.StartNew();
            var (_, error) = await TmlakeAsync(dll, home, "materialize", "-s", "silver/fact_telemetry_event", "-p", partition);
            clock.Stop();
            var rss = error.Split('\n').Select(l => l.Trim()).Last(l => l.StartsWith("MAXRSS_KB ", StringComparison.Ordinal));
            var (count, _) = await TmlakeAsync(dll, home, "preview", "silver/fact_telemetry_event", "--count");
            var data = Directory.GetDirectories(Path.Combine(home, "lake"), "fact_telemetry_event", SearchOption.AllDirectories).Single();
            var files = Directory.GetFiles(data, "*.parquet", SearchOption.AllDirectories);
            var dates = files.Select(Path.GetDirectoryName).Distinct().Count();
            return new CliSide(clock.Elapsed.TotalSeconds, long.Parse(rss["MAXRSS_KB ".Length..], CultureInfo.InvariantCulture) / 1024.0,
                long.Parse(count.Trim(), CultureInfo.InvariantCulture), files.Length, dates);
        }
        finally
        {
            if (Directory.Exists(home)) Directory.Delete(home, recursive: true);
        }
    }

    /// <summary>Runs `tmlake ARGS` under GNU time (for the child's own peak RSS) against <paramref name="home"/>; it must succeed.</summary>
    internal static async Task<(string Out, string Error)> TmlakeAsync(string dll, string home, params string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-f", "MAXRSS_KB %M", "dotnet", dll }.Concat(args)) start.ArgumentList.Add(a);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("TM_", StringComparison.Ordinal)).ToList()) start.Environment.Remove(name);
        start.Environment["TM_HOME"] = home;
        using var child = Process.Start(start) ?? throw new InvalidOperationException("could not start /usr/bin/time (apt-get install time)");
        var output = child.StandardOutput.ReadToEndAsync();
        var error = child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync();
        if (child.ExitCode != 0) throw new InvalidOperationException($"tmlake {string.Join(' ', args)} exited {child.ExitCode}:\n{await output}\n{await error}");
        return (await output, await error);
    }

    /// <summary>The CLI as users run it: ./tmlake builds .build/tmlake when the sources changed.</summary>
    internal static async Task<string> BuildTmlakeAsync()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "TmLakehouse.sln"))) root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("repository root not found");
        var start = new ProcessStartInfo("bash") { WorkingDirectory = root, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(root, "tmlake"));
        start.ArgumentList.Add("--help");
        using var build = Process.Start(start)!;
        await build.StandardOutput.ReadToEndAsync();
        await build.WaitForExitAsync();
        var dll = Path.Combine(root, ".build", "tmlake", "tmlake.dll");
        if (build.ExitCode != 0 || !File.Exists(dll)) throw new InvalidOperationException($"./tmlake --help exited {build.ExitCode}");
        return dll;
    }
}
