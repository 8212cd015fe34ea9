using System.Diagnostics;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Config;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Partitions;
using Serilog;
using TmLakehouse.Orchestrator.Backfills;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Bench;

/// <summary>
/// `backfill-submit [N] [--postgres CONN]`: a backfill of N partitions (default 100,000: 100 courses × 1,000 days, given as one
/// range) read, stored and its first runs launched, embedded and on PostgreSQL, beside the same N keys stored through the
/// instance's other bulk path (dynamic partition keys, one insert per key in one transaction). `status-million [N]`: the
/// status of N partitions (default 1,000,000) of one asset on the embedded default: counts by state and a first page, beside the full read.
/// </summary>
internal static class BackfillSubmitBenchmark
{
    private const int Courses = 100;

    public static async Task RunAsync(string[] args)
    {
        var partitions = args.FirstOrDefault(a => int.TryParse(a, out _)) is { } n ? int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        var home = Path.Combine(Path.GetTempPath(), "tmlake-bench-bf-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Console.WriteLine($"(machine: {Environment.ProcessorCount} cores, load average {LoadAverage()}; read the numbers as upper bounds)");
            await MeasureAsync(new LakehouseOptions { Home = Path.Combine(home, "embedded") }, "embedded: SQLite", partitions);
            await using var postgres = await BenchPostgres.OpenAsync(BenchOptions.From(args).Postgres);
            if (postgres is null) return;
            await MeasureAsync(new LakehouseOptions
            {
                Home = Path.Combine(home, "postgres"), InstanceStore = StoreKind.Postgres, PostgresConnectionString = postgres.ConnectionString,
            }, "PostgreSQL", partitions);
        }
        finally
        {
            try { Directory.Delete(home, true); } catch (IOException) { }
        }
    }

    private static async Task MeasureAsync(LakehouseOptions options, string describe, int partitions)
    {
        Console.WriteLine($"== backfill submission ({describe}): {partitions:N0} partitions ==");
        var days = (partitions + Courses - 1) / Courses;
        var start = new DateOnly(2020, 1, 1);
        var definition = new MultiPartitionsDefinition(
        [
            ("course_id", new StaticPartitionsDefinition("course_id", Enumerable.Range(0, Courses).Select(c => $"c{c:000}").ToList())),
            ("ingest_date", new DailyPartitionsDefinition("ingest_date", start)),
        ]);
        var asset = AssetDefinition.Create(new AssetSpec(new AssetKey("bench/backfilled")) { Partitions = definition },
            (_, _) => Task.FromResult(MaterializeResult.Empty));
        await using var runtime = await LakehouseRuntime.OpenAsync(options, [asset], RuntimeRole.Workers(2), new LoggerConfiguration().CreateLogger());
        var range = $"course_id=*,ingest_date={DailyPartitionsDefinition.Format(start)}..{DailyPartitionsDefinition.Format(start.AddDays(days - 1))}";

        var submit = Stopwatch.StartNew();
        var id = await runtime.Backfills.SubmitAsync(new BackfillRequest("bench/backfilled", range) { MaxConcurrentRuns = 4 }, CancellationToken.None);
        submit.Stop();
        var queue = Stopwatch.StartNew();
        var progress = await runtime.BackfillDaemon.TickAsync(id, CancellationToken.None);
        queue.Stop();
        await runtime.Backfills.CancelAsync(id, CancellationToken.None);
        var total = progress.Total;
        var rate = total / submit.Elapsed.TotalSeconds;
        Console.WriteLine($"stored {total:N0} partitions in {submit.Elapsed.TotalMilliseconds:0} ms = {rate:N0} partitions/s (target >= 1,000; Dagster ~1 run/s); " +
                          $"first tick launched {progress.RunsInFlight} run(s) in {queue.Elapsed.TotalMilliseconds:0} ms");

        // Peer: the same number of keys through the instance's dynamic-partition insert (a statement per key, one transaction).
        var keys = Enumerable.Range(0, total).Select(i => $"course_id=c{i % Courses:000},ingest_date=x{i:000000}").ToList();
        var peer = Stopwatch.StartNew();
        await runtime.Instance.Partitions.AddDynamicPartitionKeysAsync("bench-peer", keys, CancellationToken.None);
        peer.Stop();
        Console.WriteLine($"peer: {total:N0} dynamic partition keys stored in {peer.Elapsed.TotalMilliseconds:0} ms = {total / peer.Elapsed.TotalSeconds:N0} keys/s; " +
                          $"backfill / peer time: {submit.Elapsed.TotalMilliseconds / peer.Elapsed.TotalMilliseconds:0.00}");
    }

    /// <summary>The status of many partitions of one asset on the embedded default, written in batches of one transaction each.</summary>
    public static async Task StatusAsync(string[] args)
    {
        var partitions = args.FirstOrDefault(a => int.TryParse(a, out _)) is { } n ? int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
        var home = Path.Combine(Path.GetTempPath(), "tmlake-bench-status-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Console.WriteLine($"(machine: {Environment.ProcessorCount} cores, load average {LoadAverage()}; read the numbers as upper bounds)");
            Console.WriteLine($"== status of {partitions:N0} partitions of one asset (embedded: SQLite) ==");
            await using var runtime = await LakehouseRuntime.OpenAsync(new LakehouseOptions { Home = home }, [], RuntimeRole.ClientOnly, new LoggerConfiguration().CreateLogger());
            var asset = new AssetKey("bench/status");
            var fill = Stopwatch.StartNew();
            var now = DateTimeOffset.UtcNow;
            for (var from = 0; from < partitions; from += 20_000)
            {
                var transaction = runtime.Instance.BeginTransaction();
                transaction.Append(Enumerable.Range(from, Math.Min(20_000, partitions - from)).Select(p => new EventRecord(EventType.Materialization, "status-fill", now)
                {
                    Step = new StepKey(asset, new PartitionKey($"part-{p:0000000}")),
                }).ToList());
                await transaction.CommitAsync(CancellationToken.None);
            }
            fill.Stop();
            // The status path of `asset show`, /api/assets/KEY and the asset page: counts by state grouped in the store, plus the
            // first page of partitions; the peers are the full read that builds one object per partition (what it replaced).
            var reads = await ReadThriceAsync(async () =>
            {
                var counts = (await runtime.Instance.Events.GetStatusCountsAsync(asset, CancellationToken.None)).Single();
                var page = await runtime.Instance.Events.GetPartitionStatusPageAsync(asset, null, 1_000, CancellationToken.None);
                return page.Count == 1_000 ? counts.Total : throw new InvalidOperationException($"The first page held {page.Count} partitions, not 1,000.");
            });
            Console.WriteLine($"status of {reads[0].Count:N0} partitions (counts by state + first page of 1,000): {string.Join(" / ", reads.Select(r => $"{r.Wall:0} ms"))} " +
                              $"(cold, then warm; target <= 300 ms); process CPU {string.Join(" / ", reads.Select(r => $"{r.Cpu:0} ms"))}; filling took {fill.Elapsed.TotalSeconds:0.0} s");
            var full = await ReadThriceAsync(async () => (await runtime.Instance.Events.GetPartitionStatusesAsync(asset, CancellationToken.None)).Count);
            Console.WriteLine($"peer: every partition's status read as objects ({full[0].Count:N0}): {string.Join(" / ", full.Select(r => $"{r.Wall:0} ms"))}; " +
                              $"process CPU {string.Join(" / ", full.Select(r => $"{r.Cpu:0} ms"))}; full / counts warm time: {full[^1].Wall / reads[^1].Wall:0.0}x");
        }
        finally
        {
            try { Directory.Delete(home, true); } catch (IOException) { }
        }
    }

    private static async Task<List<(double Wall, double Cpu, int Count)>> ReadThriceAsync(Func<Task<int>> read)
    {
        var reads = new List<(double Wall, double Cpu, int Count)>();
        for (var i = 0; i < 3; i++)
            reads.Add(await OrchestratorBenchmark.TimedAsync(read));
        return reads;
    }

    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "unknown"; }
    }
}
