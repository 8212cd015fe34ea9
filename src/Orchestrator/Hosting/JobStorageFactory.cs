using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Lakehouse.Core.Config;

namespace TmLakehouse.Orchestrator.Hosting;

/// <summary>Chooses Hangfire's job storage from the options: in-memory when embedded, PostgreSQL when scaled out.</summary>
internal static class JobStorageFactory
{
    /// <summary>
    /// Hangfire holds a connection per worker while it waits for a job (long polling) and needs more while steps enqueue
    /// their successors and heartbeat, plus its own background processes: a pool smaller than that starves job creation.
    /// </summary>
    public static int PoolSizeFor(LakehouseOptions options, int workers) => Math.Max(options.PostgresMaxPoolSize, 2 * workers + 8);

    public static JobStorage Create(LakehouseOptions options, int workers = 0) => options.InstanceStore switch
    {
        StoreKind.Sqlite => new InMemoryStorage(new InMemoryStorageOptions()),
        StoreKind.Postgres => CreatePostgres(options, workers),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.InstanceStore, "Unknown instance store."),
    };

    private static PostgreSqlStorage CreatePostgres(LakehouseOptions options, int workers)
    {
        var connectionString = new Npgsql.NpgsqlConnectionStringBuilder(InstanceBackends.RequirePostgres(options))
        {
            MaxPoolSize = PoolSizeFor(options, workers),
        }.ConnectionString;
        // Hangfire.PostgreSql's defaults (15 s polling, 30 min invisibility) would make a step wait seconds to start and a
        // killed worker's step wait half an hour: LISTEN/NOTIFY long polling picks jobs up at once, and a sliding invisibility
        // timeout keeps long steps owned while their worker lives but frees them soon after it dies.
        var storageOptions = new PostgreSqlStorageOptions
        {
            SchemaName = "hangfire",
            PrepareSchemaIfNecessary = true,
            EnableLongPolling = true,
            QueuePollInterval = TimeSpan.FromMilliseconds(500),
            UseSlidingInvisibilityTimeout = true,
            InvisibilityTimeout = options.JobInvisibilityTimeout,
            DistributedLockTimeout = TimeSpan.FromSeconds(30),
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, storageOptions, null), storageOptions);
    }
}
