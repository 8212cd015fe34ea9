using System.Diagnostics;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Config;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Partitions;
using Lakehouse.Core.Sensors;
using Serilog;
using TmLakehouse.Orchestrator.Execution;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Bench;

/// <summary>
/// The event-driven half's two targets, on SQLite and (when TM_BENCH_POSTGRES or --postgres names one) PostgreSQL: a sensor tick of
/// 10,000 run keys of which 9,990 were seen before (target ≤ 50 ms), beside its peer, the one key lookup plus the ten launches (one
/// commit) it cannot avoid; and an automation tick over 100,000 asset-partitions (target ≤ 1 s), beside its peer, the one status read it needs.
/// </summary>
internal static class AutomationBenchmark
{
    private const int Keys = 10_000, Seen = 9_990, Courses = 100, Days = 1_000;

    public static async Task RunAsync(string[] args)
    {
        var options = BenchOptions.From(args);
        // --sensor-only: the sensor tick alone (the automation tick fills 200,100 statuses first, minutes on a loaded machine).
        var sensorOnly = args.Contains("--sensor-only");
        var home = Path.Combine(Path.GetTempPath(), "tmlake-bench-automation-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Console.WriteLine($"(machine: {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; other processes share it, so read the numbers as upper bounds)");
            await RunModeAsync(new LakehouseOptions { Home = Path.Combine(home, "embedded"), Workers = 1 }, "embedded: SQLite", sensorOnly);
            if (args.Contains("--no-postgres")) return;
            await using var postgres = await BenchPostgres.OpenAsync(options.Postgres);
            if (postgres is not null)
                await RunModeAsync(new LakehouseOptions
                {
                    Home = Path.Combine(home, "postgres"), Workers = 1, InstanceStore = StoreKind.Postgres, PostgresConnectionString = postgres.ConnectionString,
                }, "PostgreSQL", sensorOnly);
        }
        finally
        {
            try { Directory.Delete(home, true); } catch (IOException) { }
        }
    }

    private static async Task RunModeAsync(LakehouseOptions lakehouse, string describe, bool sensorOnly)
    {
        Console.WriteLine($"== automation ({describe}) ==");
        await SensorTickAsync(lakehouse with { Home = Path.Combine(lakehouse.Home, "sensor") });
        if (sensorOnly) return;
        await AutomationTickAsync(lakehouse with { Home = Path.Combine(lakehouse.Home, "automation") });
    }

    private static async Task SensorTickAsync(LakehouseOptions lakehouse)
    {
        var round = 0;
        var sensor = new SensorDefinition("bench_keys", TimeSpan.FromSeconds(1), (_, _) => Task.FromResult(new SensorResult
        {
            // The 9,990 keys seen before, and ten new ones each round.
            RunRequests = Enumerable.Range(0, Keys).Select(i => new SensorRunRequest(i < Seen ? $"seen-{i:00000}" : $"new-{round}-{i}",
                new RunRequest("bench/raw") { Partitions = ["p000001"] })).ToList(),
        }));
        var raw = new StaticPartitionsDefinition("part", ["p000001"]);
        AssetDefinition[] assets = [AssetDefinition.Create(new AssetSpec(new AssetKey("bench/raw")) { Partitions = raw }, (_, _) => Task.FromResult(new MaterializeResult()))];
        await using var runtime = await LakehouseRuntime.OpenAsync(lakehouse, assets, RuntimeRole.ClientOnly, new LoggerConfiguration().CreateLogger(), sensors: [sensor]);
        var existing = await runtime.Coordinator.LaunchAsync(new RunRequest("bench/raw") { Partitions = ["p000001"] }, CancellationToken.None);
        await runtime.Instance.Sensors.ClaimRunKeysAsync(sensor.Name, Enumerable.Range(0, Seen).Select(i => ($"seen-{i:00000}", existing)).ToList(), DateTimeOffset.UtcNow, CancellationToken.None);
        var allKeys = Enumerable.Range(0, Keys).Select(i => $"seen-{i:00000}").ToList();

        var ticks = new List<double>();
        var lookups = new List<double>();
        var launches = new List<double>();
        for (round = 0; round < 7; round++)
        {
            var watch = Stopwatch.StartNew();
            var evaluation = await runtime.Sensors.EvaluateAsync(sensor, dryRun: false, CancellationToken.None);
            ticks.Add(watch.Elapsed.TotalMilliseconds);
            if (evaluation.Tick is not { RunIds.Count: 10, Skipped: Seen }) throw new InvalidOperationException($"unexpected tick: {evaluation.Tick?.Reason}");
            // Peer: what the tick cannot avoid — one lookup of the 10,000 keys and the ten launches (one commit).
            watch.Restart();
            await runtime.Instance.Sensors.LookUpRunKeysAsync(sensor.Name, allKeys, SensorTick.SkipSampleSize, CancellationToken.None);
            lookups.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            await runtime.Coordinator.LaunchManyAsync(Enumerable.Range(0, 10).Select(_ => (new RunRequest("bench/raw") { Partitions = ["p000001"] }, RunIds.New())).ToList(), CancellationToken.None);
            launches.Add(watch.Elapsed.TotalMilliseconds);
        }
        // The first round warms the JIT and the connection pool.
        var tick = Median(ticks.Skip(1));
        var (lookup, launch) = (Median(lookups.Skip(1)), Median(launches.Skip(1)));
        Console.WriteLine($"sensor tick, {Keys:N0} keys ({Seen:N0} seen), median of 6: {tick,7:0.0} ms (target <= 50 ms); peer: the key lookup {lookup,6:0.0} ms + " +
                          $"10 launches in 1 commit {launch,6:0.0} ms = {lookup + launch,6:0.0} ms; ratio {tick / (lookup + launch):0.00}");
    }

    private static async Task AutomationTickAsync(LakehouseOptions lakehouse)
    {
        var courses = new StaticPartitionsDefinition("course", Enumerable.Range(0, Courses).Select(c => $"c{c:000}").ToList());
        var days = new StaticPartitionsDefinition("day", Enumerable.Range(0, Days).Select(d => $"d{d:0000}").ToList());
        var byDay = new MultiPartitionsDefinition([("course", courses), ("day", days)]);
        AssetKey raw = new("bench/raw"), clean = new("bench/clean"), gold = new("gold/by_course");
        static Task<MaterializeResult> Nothing(AssetExecutionContext _, CancellationToken __) => Task.FromResult(new MaterializeResult());
        AssetDefinition[] assets =
        [
            AssetDefinition.Create(new AssetSpec(raw) { Partitions = byDay }, Nothing),
            AssetDefinition.Create(new AssetSpec(clean) { Partitions = byDay, Deps = [new AssetDependency(raw)], Automation = AutomationCondition.Eager }, Nothing),
            AssetDefinition.Create(new AssetSpec(gold) { Partitions = courses, Deps = [new AssetDependency(clean, new DimensionPartitionMapping("course"))], Automation = AutomationCondition.Eager }, Nothing),
        ];
        await using var runtime = await LakehouseRuntime.OpenAsync(lakehouse, assets, RuntimeRole.ClientOnly, new LoggerConfiguration().CreateLogger());
        var keys = await byDay.GetKeysAsync(runtime.Instance.Partitions, TimeProvider.System, CancellationToken.None);
        var fill = Stopwatch.StartNew();
        // raw, then clean after it, then gold: every partition up to date, so a tick requests nothing.
        foreach (var (asset, of) in new[] { (raw, keys), (clean, keys), (gold, (IReadOnlyList<PartitionKey>)courses.Keys.Select(k => new PartitionKey(k)).ToList()) })
            foreach (var chunk in of.Chunk(5_000))
                await runtime.Instance.Events.AppendBatchAsync(chunk.Select(k => new EventRecord(EventType.Materialization, "bench-fill", DateTimeOffset.UtcNow) { Step = new StepKey(asset, k) }).ToList(), CancellationToken.None);
        Console.WriteLine($"(filled {2 * keys.Count + Courses:N0} statuses in {fill.Elapsed.TotalSeconds:0.0} s)");

        var watch = Stopwatch.StartNew();
        var first = (await runtime.Automation.TickAsync(CancellationToken.None))!;
        var firstMs = watch.Elapsed.TotalMilliseconds;
        var quiet = new List<double>();
        var reads = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            watch.Restart();
            var tick = (await runtime.Automation.TickAsync(CancellationToken.None))!;
            quiet.Add(watch.Elapsed.TotalMilliseconds);
            if (tick.Requested != 0 || tick.Evaluated != keys.Count + Courses) throw new InvalidOperationException($"unexpected tick: {tick.Evaluated} evaluated, {tick.Requested} requested");
            watch.Restart();
            await runtime.Instance.Events.GetAllStatusesAsync(CancellationToken.None);
            reads.Add(watch.Elapsed.TotalMilliseconds);
        }
        // Ten raw partitions of one course updated: ten clean partitions requested in one run, gold waits for them.
        await runtime.Instance.Events.AppendBatchAsync(keys.Take(10).Select(k => new EventRecord(EventType.Materialization, "bench-update", DateTimeOffset.UtcNow) { Step = new StepKey(raw, k) }).ToList(), CancellationToken.None);
        watch.Restart();
        var busy = (await runtime.Automation.TickAsync(CancellationToken.None))!;
        var busyMs = watch.Elapsed.TotalMilliseconds;
        var q = Median(quiet);
        var r = Median(reads);
        Console.WriteLine($"automation tick over {first.Evaluated:N0} asset-partitions: first (stores every decision) {firstMs,7:0} ms; quiet, median of 5: {q,7:0} ms (target <= 1000 ms); " +
                          $"with 10 requested ({busy.RunIds.Count} run launched): {busyMs,7:0} ms");
        Console.WriteLine($"peer: the one status read ({2 * keys.Count + Courses:N0} rows), median of 5: {r,7:0} ms; quiet tick / status read {q / r:0.00}");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
