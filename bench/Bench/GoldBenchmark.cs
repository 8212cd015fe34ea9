using System.Diagnostics;
using System.Globalization;
using Lakehouse.Core.Config;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Tables;
using Lakehouse.Core.Tables.Catalog;
using TmLakehouse.Assets.SampleData;
using TmLakehouse.Assets.Silver;

namespace TmLakehouse.Bench;

/// <summary>
/// Gold over one course's Silver built from a single export: the four per-round Gold tables as SQL models (ours) against a plain
/// DuckDB query over the same live files, each in its own child process so each peak RSS is its own. (The C# Gold, the other
/// peer of issue 17, was deleted once the models matched it; its last figures are in the README.) Then the CLI path: the same four
/// models as one whole `tmlake materialize` process (<see cref="GoldCliSide"/>).
/// Options: --rounds N (rounds in the export, default 190,000 ≈ 1 GB of CSV), --seed S. The export and its Silver are built once
/// into a temp cache folder and reused.
/// </summary>
internal static class GoldBenchmark
{
    private const double SecondsTarget = 4;
    private const double RssTargetMb = 350;
    public const string Course = "erinhills";

    public static async Task RunAsync(string[] args)
    {
        var rounds = SilverBenchmark.Option(args, "--rounds", 190_000);
        var seed = SilverBenchmark.Option(args, "--seed", 20250601);
        Console.WriteLine("== gold (ours: the SQL models of models/gold on DuckDB + our Iceberg writer; peer: plain DuckDB) ==");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {SilverBenchmark.LoadAverage()} (shared machine: other processes compete)");
        var lake = await EnsureSilverAsync(seed, rounds);
        Console.WriteLine($"{"side",-22} {"seconds",8} {"silver rows",12} {"gold rows",11} {"peak RSS MB",12}  load average at end");
        var sides = new List<SideResult>();
        foreach (var side in new[] { "gold-sql", "gold-duckdb" })
        {
            var s = await SilverBenchmark.RunChildAsync([side, lake]);
            Console.WriteLine($"{s.Side,-22} {s.Seconds,8:0.00} {s.RowsIn,12:N0} {s.RowsOut,11:N0} {s.PeakRssMegabytes,12:0}  {SilverBenchmark.LoadAverage()}");
            sides.Add(s);
        }
        var (ours, duck) = (sides[0], sides[1]);
        var cli = await GoldCliSide.RunAsync(seed, rounds, GoldSides.FourTables);
        Console.WriteLine($"{"ours, tmlake CLI",-22} {cli.Seconds,8:0.00} {"",12} {"",11} {cli.PeakRssMb,12:0}  {SilverBenchmark.LoadAverage()}  " +
                          $"(whole `tmlake materialize -s <the four> -p {Course}` process over Silver materialized by tmlake for {cli.Partition})");
        Console.WriteLine($"ours: {ours.Seconds:0.00} s (target ≤ {SecondsTarget} s: {SilverBenchmark.Verdict(ours.Seconds <= SecondsTarget)}), " +
                          $"{ours.PeakRssMegabytes:0} MB peak RSS (target ≤ {RssTargetMb} MB: {SilverBenchmark.Verdict(ours.PeakRssMegabytes <= RssTargetMb)}); " +
                          $"ours / plain DuckDB time: {ours.Seconds / duck.Seconds:0.00}×");
        Console.WriteLine($"ours, CLI: {cli.Seconds:0.00} s (target ≤ {SecondsTarget} s: {SilverBenchmark.Verdict(cli.Seconds <= SecondsTarget)}), " +
                          $"{cli.PeakRssMb:0} MB peak RSS (target ≤ {RssTargetMb} MB: {SilverBenchmark.Verdict(cli.PeakRssMb <= RssTargetMb)})");
        Console.WriteLine($"gold rows: ours {ours.RowsOut:N0}, duckdb {duck.RowsOut:N0} ({(ours.RowsOut == duck.RowsOut ? "equal" : "DIFFER")})");
        foreach (var s in sides)
            Console.WriteLine($"  {s.Side}: " + string.Join(", ", s.Phases.Select(p => $"{p.Key} {p.Value:0.##}")));
    }

    /// <summary>The lake folder (SQLite catalog + local buckets) holding Silver of one single export, built on first use.</summary>
    private static async Task<string> EnsureSilverAsync(int seed, int rounds)
    {
        var folder = Path.Combine(Path.GetTempPath(), "tmlake-bench-gold", $"seed{seed}-rounds{rounds}");
        var lake = Path.Combine(folder, "lake");
        var done = Path.Combine(folder, "silver.done");
        if (File.Exists(done))
        {
            Console.WriteLine($"input: {lake} (cached): {File.ReadAllText(done)}");
            return lake;
        }
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        var clock = Stopwatch.StartNew();
        var manifest = SampleDataGenerator.Generate(new SampleDataOptions
        {
            OutputDirectory = Path.Combine(folder, "export"), Seed = seed, RoundsPerCourse = rounds, Courses = [Course], FilesPerCourse = 1, JsonCourses = [],
        });
        var file = manifest.Files.Single();
        var options = new LakehouseOptions { Home = lake };
        var objects = new LocalObjectStoreProvider(options);
        var catalog = TableCatalogs.Sqlite(Path.Combine(lake, "catalog.db"), objects, TimeProvider.System);
        var telemetry = await catalog.CreateOrLoadAsync(SilverTables.TelemetryEvent, CancellationToken.None);
        var health = await catalog.CreateOrLoadAsync(SilverTables.DeviceHealth, CancellationToken.None);
        var filter = RowFilter.Where((SilverTelemetryAsset.CourseDimension, Course), (SilverTelemetryAsset.IngestDateDimension, file.IngestDate));
        await using var telemetryWriter = telemetry.NewReplace(filter);
        await using var healthWriter = health.NewReplace(filter);
        var result = await SilverTransform.RunAsync([SilverInput.FromFile(file.Path)], Course, file.IngestDate, telemetryWriter, healthWriter, new SilverGates(), objects.Staging, CancellationToken.None);
        if (result.GateFailure is { } gate) throw new InvalidOperationException($"Silver gate failed on the bench export: {gate.Message}");
        await telemetryWriter.CommitAsync(CancellationToken.None);
        await healthWriter.CommitAsync(CancellationToken.None);
        File.Delete(file.Path); // only Silver is read from here on
        var text = string.Create(CultureInfo.InvariantCulture,
            $"one export of {file.Bytes / 1e6:0} MB, {file.Rounds:N0} rounds, {result.RowsOut:N0} Silver rows (built in {clock.Elapsed.TotalSeconds:0} s)");
        File.WriteAllText(done, text);
        Console.WriteLine($"input: {lake}: {text}");
        return lake;
    }
}
