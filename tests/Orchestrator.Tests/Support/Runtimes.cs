using Lakehouse.Core.Assets;
using Lakehouse.Core.Config;
using Serilog;
using TmLakehouse.Orchestrator.Hosting;

namespace Orchestrator.Tests.Support;

/// <summary>Opens runtimes for tests: embedded (SQLite instance, in-memory Hangfire) or PostgreSQL (instance, catalog and Hangfire), with in-process workers.</summary>
public static class Runtimes
{
    public static Task<LakehouseRuntime> EmbeddedAsync(string home, IEnumerable<AssetDefinition> assets, int workers = 2) =>
        LakehouseRuntime.OpenAsync(new LakehouseOptions { Home = home, Workers = workers }, assets, RuntimeRole.Workers(workers),
            new LoggerConfiguration().CreateLogger());

    public static Task<LakehouseRuntime> PostgresAsync(string home, string connectionString, IEnumerable<AssetDefinition> assets, int workers = 2,
        TimeSpan? invisibilityTimeout = null) =>
        LakehouseRuntime.OpenAsync(Postgres(home, connectionString, workers, invisibilityTimeout), assets, RuntimeRole.Workers(workers),
            new LoggerConfiguration().CreateLogger());

    public static LakehouseOptions Postgres(string home, string connectionString, int workers = 2, TimeSpan? invisibilityTimeout = null) => new()
    {
        Home = home,
        Workers = workers,
        InstanceStore = StoreKind.Postgres,
        PostgresConnectionString = connectionString,
        JobInvisibilityTimeout = invisibilityTimeout ?? TimeSpan.FromMinutes(5),
    };
}
