using System.Diagnostics;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Config;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Partitions;
using Npgsql;
using Serilog;
using TmLakehouse.Orchestrator.Execution;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Bench;

/// <summary>
/// A 1,000-partition backfill on PostgreSQL with more concurrent steps than pooled connections, while a poller samples
/// pg_stat_activity: the peak must stay within the three pools a process opens (instance and catalog at
/// TM_POSTGRES_MAX_POOL each; Hangfire at max(TM_POSTGRES_MAX_POOL, 2 × workers + 8)).
/// </summary>
internal static class BackfillBenchmark
{
    private const int PartitionCount = 1_000;
    private const int Workers = 8;
    private const int PoolSize = 6;

    public static async Task RunAsync(BenchPostgres postgres, string home)
    {
        Console.WriteLine();
        Console.WriteLine($"== backfill: {PartitionCount:N0} partitions on PostgreSQL, {Workers} concurrent steps, TM_POSTGRES_MAX_POOL={PoolSize} ==");
        var options = new LakehouseOptions
        {
            Home = home, InstanceStore = StoreKind.Postgres, PostgresConnectionString = postgres.ConnectionString,
            PostgresMaxPoolSize = PoolSize, Workers = Workers,
        };
        var partitions = new StaticPartitionsDefinition("day", Enumerable.Range(0, PartitionCount).Select(p => $"d{p:0000}").ToList());
        var asset = AssetDefinition.Create(new AssetSpec(new AssetKey("backfill/daily")) { Partitions = partitions }, async (_, ct) =>
        {
            // A little I/O-shaped wait so steps overlap as real ones do.
            await Task.Delay(2, ct);
            return MaterializeResult.Empty;
        });

        // Idle connections pooled by the earlier measurement would blur the count.
        NpgsqlConnection.ClearAllPools();
        await using var poller = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Pooling = false }.ConnectionString);
        await poller.OpenAsync();
        var before = await BenchPostgres.ConnectionsAsync(poller) - 1;
        await using var runtime = await LakehouseRuntime.OpenAsync(options, [asset], RuntimeRole.Workers(Workers), new LoggerConfiguration().CreateLogger());
        long peak = 0;
        using var stopPolling = new CancellationTokenSource();
        var polling = Task.Run(async () =>
        {
            while (!stopPolling.IsCancellationRequested)
            {
                peak = Math.Max(peak, await BenchPostgres.ConnectionsAsync(poller) - 1 - before);
                try { await Task.Delay(20, stopPolling.Token); }
                catch (OperationCanceledException) { }
            }
        });

        var watch = Stopwatch.StartNew();
        var runId = await runtime.Coordinator.LaunchAsync(new RunRequest("backfill/daily") { AllPartitions = true }, CancellationToken.None);
        var run = await RunWatcher.WaitAsync(runtime.Instance.Runs, runId, null, TimeSpan.FromMilliseconds(50), CancellationToken.None);
        watch.Stop();
        await stopPolling.CancelAsync();
        await polling;
        if (run.Status != RunStatus.Succeeded) throw new InvalidOperationException($"backfill run {runId} ended {run.Status}");
        Console.WriteLine($"{PartitionCount:N0} steps in {watch.Elapsed.TotalSeconds:0.00} s = {watch.Elapsed.TotalMilliseconds / PartitionCount:0.000} ms/step");
        var bound = 2 * PoolSize + HangfireStorage.PoolSizeFor(options, Workers);
        Console.WriteLine($"peak connections of this process seen in pg_stat_activity: {peak} (bound: instance {PoolSize} + catalog {PoolSize} + Hangfire {HangfireStorage.PoolSizeFor(options, Workers)} = {bound}; the poller and {before} pre-existing connection(s) not counted)");
    }
}
