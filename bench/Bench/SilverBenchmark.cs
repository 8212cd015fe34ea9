using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using TmLakehouse.Assets.SampleData;

namespace TmLakehouse.Bench;

/// <summary>
/// Silver throughput and memory: our SilverTransform writing real Iceberg tables against DuckDB doing the same wide-to-long
/// transform, each side in its own child process so each peak RSS is its own. Options: --rounds N (per course, default 5,500,
/// i.e. ≈ 27,500 rounds), --scale K (run again on K× the rounds: peak RSS must stay flat), --workers N (our partitions in
/// parallel, default 1), --csv-only (both sides skip the JSON course), --profile (also run ours with a row-counting writer).
/// </summary>
internal static class SilverBenchmark
{
    private const double ThroughputTarget = 4;
    private const double RssTargetMb = 400;
    private const double FlatTolerance = 1.25;

    public static async Task RunAsync(string[] args)
    {
        var rounds = Option(args, "--rounds", new SampleDataOptions { OutputDirectory = "" }.RoundsPerCourse);
        var scale = Option(args, "--scale", 1);
        var workers = Option(args, "--workers", 1);
        var seed = Option(args, "--seed", new SampleDataOptions { OutputDirectory = "" }.Seed);
        var csvOnly = args.Contains("--csv-only");
        var profile = args.Contains("--profile");

        Console.WriteLine($"== silver (ours: SilverTransform + Iceberg/SQLite catalog, {workers} partition(s) at a time; peer: DuckDB) ==");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {LoadAverage()} (shared machine: other processes compete)");
        var small = await MeasureAsync(seed, rounds, workers, csvOnly, profile);
        if (scale <= 1) return;
        var large = await MeasureAsync(seed, rounds * scale, workers, csvOnly, profile: false);
        Console.WriteLine($"peak RSS at {scale}× the input: ours {small.Ours.PeakRssMegabytes:0} MB → {large.Ours.PeakRssMegabytes:0} MB " +
                          $"({large.Ours.PeakRssMegabytes / small.Ours.PeakRssMegabytes:0.00}×; target flat, ≤ {FlatTolerance:0.00}×: " +
                          $"{Verdict(large.Ours.PeakRssMegabytes <= small.Ours.PeakRssMegabytes * FlatTolerance)}); " +
                          $"duckdb {small.DuckDb.PeakRssMegabytes:0} MB → {large.DuckDb.PeakRssMegabytes:0} MB " +
                          $"({large.DuckDb.PeakRssMegabytes / small.DuckDb.PeakRssMegabytes:0.00}×)");
    }

    private static async Task<(SideResult Ours, SideResult DuckDb)> MeasureAsync(int seed, int rounds, int workers, bool csvOnly, bool profile)
    {
        var generate = Stopwatch.StartNew();
        var manifest = SilverSample.Ensure(seed, rounds);
        generate.Stop();
        var folder = SilverSample.Folder(seed, rounds);
        var files = manifest.Files.Where(f => !csvOnly || f.Format == "csv").ToList();
        Console.WriteLine();
        Console.WriteLine($"input: {folder} ({(generate.Elapsed.TotalSeconds > 1 ? $"generated in {generate.Elapsed.TotalSeconds:0} s" : "cached")}): " +
                          $"{files.Count} files ({string.Join(", ", files.GroupBy(f => f.Format).Select(g => $"{g.Count()} {g.Key}"))}), " +
                          $"{files.Sum(f => f.Rounds):N0} rounds, {files.Sum(f => f.LocationRows):N0} location rows, {files.Sum(f => f.Bytes) / 1e6:0} MB" +
                          (csvOnly ? " — CSV only: the JSON course is left out on both sides" : ""));

        string[] only = csvOnly ? ["--csv-only"] : [];
        // Each row is printed as soon as its side ends: the sides take minutes on a loaded machine.
        Console.WriteLine($"{"side",-22} {"seconds",8} {"rows in",11} {"rows out",11} {"rows/s",11} {"MB/s",7} {"peak RSS MB",12}  load average at end");
        var sides = new List<SideResult>();
        async Task<SideResult> Side(string[] childArgs)
        {
            var s = await RunChildAsync(childArgs);
            Console.WriteLine($"{s.Side,-22} {s.Seconds,8:0.00} {s.RowsIn,11:N0} {s.RowsOut,11:N0} {s.RowsPerSecond,11:N0} {s.MegabytesPerSecond,7:0.0} {s.PeakRssMegabytes,12:0}  {LoadAverage()}");
            sides.Add(s);
            return s;
        }
        var ours = await Side(["silver-ours", folder, "--workers", workers.ToString(CultureInfo.InvariantCulture), .. only]);
        var duck = await Side(["silver-duckdb", folder, .. only]);
        if (profile) await Side(["silver-ours", folder, "--discard", .. only]);
        var speed = ours.RowsPerSecond / duck.RowsPerSecond;
        Console.WriteLine($"ours/duckdb throughput: {speed:0.00}× (target ≥ {ThroughputTarget}×: {Verdict(speed >= ThroughputTarget)}); " +
                          $"peak RSS: {ours.PeakRssMegabytes / duck.PeakRssMegabytes:0.00}× (ours {ours.PeakRssMegabytes:0} MB, target ≤ {RssTargetMb} MB: " +
                          $"{Verdict(ours.PeakRssMegabytes <= RssTargetMb)})");
        Console.WriteLine($"rows in: ours {ours.RowsIn:N0}, duckdb {duck.RowsIn:N0}, generator {files.Sum(f => f.LocationRows):N0}; " +
                          $"rows out: ours {ours.RowsOut:N0}, duckdb {duck.RowsOut:N0} ({(ours.RowsOut == duck.RowsOut ? "equal" : $"differ by {ours.RowsOut - duck.RowsOut:N0}")})");
        foreach (var s in sides)
            Console.WriteLine($"  {s.Side}: " + string.Join(", ", s.Phases.Select(p => $"{p.Key} {p.Value:0.##}")) + (s.Note is null ? "" : $" ({s.Note})"));
        return (ours, duck);
    }

    /// <summary>Runs this benchmark executable again with <paramref name="args"/> and returns the result line it prints.</summary>
    internal static async Task<SideResult> RunChildAsync(string[] args)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"could not start {self}");
        SideResult? result = null;
        while (await child.StandardOutput.ReadLineAsync() is { } line)
            if (SideResult.Parse(line) is { } parsed) result = parsed;
            else Console.WriteLine("  | " + line);
        await child.WaitForExitAsync();
        if (child.ExitCode != 0 || result is null)
            throw new InvalidOperationException($"'{string.Join(' ', args)}' exited with {child.ExitCode} and {(result is null ? "no" : "a")} result");
        return result;
    }

    internal static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    internal static string Verdict(bool met) => met ? "met" : "NOT met";
}
