using System.Diagnostics;
using System.Globalization;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Config;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Partitions;
using Lakehouse.Core.Sql;
using Lakehouse.Core.Tables;
using Lakehouse.Core.Tables.Catalog;
using TmLakehouse.Assets;
using TmLakehouse.Assets.Models;

namespace TmLakehouse.Bench;

/// <summary>The two sides of the Gold benchmark, each run in its own process over the cached Silver lake (args: LAKE).</summary>
internal static class GoldSides
{
    /// <summary>The four per-round Gold tables (the C# Gold's before issue 17), in an order that puts fact_rounds before the models that read it.</summary>
    public static readonly string[] FourTables = ["gold/fact_rounds", "gold/pace_summary_by_round", "gold/signal_quality_rounds", "gold/device_health_errors"];

    public static Task SqlAsync(string[] args) => RunAsync(args[0], "ours (SQL models)", async resources =>
    {
        var all = Definitions.All(SqlModelFolder.Find(null)).ToDictionary(d => d.Key.Value);
        var phases = new Dictionary<string, double>();
        long overall = 0;
        phases["start_mb"] = SideResult.PeakRss() / 1048576.0;
        foreach (var key in FourTables)
        {
            var step = Stopwatch.StartNew();
            var before = SideResult.PeakRss();
            SideResult.ResetPeakRss();
            await all[key].Compute.MaterializeAsync(Context(resources, all[key].Key), CancellationToken.None);
            phases[key + "_s"] = step.Elapsed.TotalSeconds;
            phases[key + "_peak_mb"] = SideResult.PeakRss() / 1048576.0;
            overall = Math.Max(overall, before);
        }
        // The side's peak is the largest of the phases' (each reset the process's high-water mark).
        phases["peak_of_phases_mb"] = Math.Max(overall, SideResult.PeakRss()) / 1048576.0;
        return phases;
    });

    /// <summary>The same SQL run straight in DuckDB over the same live files, results to local Parquet: no Iceberg, no tests.</summary>
    public static Task DuckDbAsync(string[] args) => RunAsync(args[0], "plain DuckDB", async resources =>
    {
        var project = Definitions.Models(SqlModelFolder.Find(null));
        var out1 = Path.Combine(resources.Options.Home, "cache", "plain");
        Directory.CreateDirectory(out1);
        await using var engine = await LakeSqlEngine.OpenAsync(resources.Tables, resources.Objects, Path.Combine(out1, "cache"), 1L << 34, CancellationToken.None);
        await engine.AttachAsync(new TableIdentifier("silver", "fact_telemetry_event"), SnapshotSelector.Current, CancellationToken.None, ("course_id", GoldBenchmark.Course));
        var unique = project.Models[new TableIdentifier("intermediate", "unique_telemetry_fix")];
        await ExecAsync(engine, $"CREATE SCHEMA intermediate; CREATE VIEW intermediate.unique_telemetry_fix AS {unique.Sql}");
        var phases = new Dictionary<string, double>();
        foreach (var key in FourTables)
        {
            var step = Stopwatch.StartNew();
            var model = project.Models[TableOf(key)];
            var file = Path.Combine(out1, key.Replace('/', '_') + ".parquet");
            await ExecAsync(engine, $"CREATE SCHEMA IF NOT EXISTS gold; CREATE TABLE {key.Replace('/', '.')} AS {model.Sql}; COPY {key.Replace('/', '.')} TO '{file}' (FORMAT parquet)");
            phases[key + "_s"] = step.Elapsed.TotalSeconds;
        }
        return phases;
    });

    private static TableIdentifier TableOf(string key) => new(key.Split('/')[0], key.Split('/')[1]);

    private static async Task ExecAsync(LakeSqlEngine engine, string sql)
    {
        await using var reader = await engine.ExecuteReaderAsync(sql, CancellationToken.None);
        while (await reader.ReadAsync()) { }
    }

    private static async Task RunAsync(string lake, string side, Func<LakehouseResources, Task<Dictionary<string, double>>> run)
    {
        var options = new LakehouseOptions { Home = lake };
        var objects = new LocalObjectStoreProvider(options);
        var catalog = TableCatalogs.Sqlite(Path.Combine(lake, "catalog.db"), objects, TimeProvider.System);
        var resources = new LakehouseResources(options, catalog, objects, new LakehouseInstance(null!, null!, new NoLandedPartitions(), null!, null!));
        var silverRows = (await (await catalog.LoadAsync(new TableIdentifier("silver", "fact_telemetry_event"), CancellationToken.None))!.FilesAsync(null, CancellationToken.None)).Sum(f => f.RecordCount);
        var clock = Stopwatch.StartNew();
        var phases = await run(resources);
        clock.Stop();
        // A side that reset the high-water mark between its phases reports the largest phase's peak.
        var peak = Math.Max(SideResult.PeakRss(), (long)(phases.GetValueOrDefault("peak_of_phases_mb") * 1048576));
        long goldRows = 0;
        if (side == "plain DuckDB")
        {
            await using var engine = await LakeSqlEngine.OpenAsync(catalog, objects, Path.Combine(lake, "cache", "count"), 1L << 30, CancellationToken.None);
            foreach (var file in Directory.GetFiles(Path.Combine(lake, "cache", "plain"), "*.parquet"))
                goldRows += Convert.ToInt64(await ScalarAsync(engine, $"SELECT count(*) FROM read_parquet('{file}')"), CultureInfo.InvariantCulture);
        }
        else
            foreach (var key in FourTables)
            {
                var table = await catalog.LoadAsync(TableOf(key), CancellationToken.None);
                goldRows += (await table!.FilesAsync(null, CancellationToken.None)).Sum(f => f.RecordCount);
            }
        phases["cpu_s"] = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        new SideResult(side, clock.Elapsed.TotalSeconds, silverRows, goldRows, 0, peak) { Phases = phases }.Print();
    }

    private static async Task<object> ScalarAsync(LakeSqlEngine engine, string sql)
    {
        await using var reader = await engine.ExecuteReaderAsync(sql, CancellationToken.None);
        await reader.ReadAsync();
        return reader.GetValue(0);
    }

    private static AssetExecutionContext Context(LakehouseResources resources, AssetKey key) => new()
    {
        RunId = "bench",
        AssetKey = key,
        Partition = new PartitionKey(GoldBenchmark.Course),
        Log = Serilog.Core.Logger.None,
        Clock = TimeProvider.System,
        Resources = resources,
    };

    /// <summary>No landed partitions: source freshness then passes without a lookup in an instance store.</summary>
    private sealed class NoLandedPartitions : IDynamicPartitionStore
    {
        public Task AddDynamicPartitionKeysAsync(string definitionName, IEnumerable<string> keys, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<IReadOnlyList<string>> GetDynamicPartitionKeysAsync(string definitionName, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<string>>([]);
    }
}
