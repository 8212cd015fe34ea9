using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Lakehouse.Core.Config;

namespace TmLakehouse.Orchestrator.Hosting;

/// <summary>Chooses Hangfire's job storage from the options: in-memory when embedded, PostgreSQL when scaled out.</summary>
internal static class JobStorageFactory
{
    public static JobStorage Create(LakehouseOptions options) => options.InstanceStore switch
    {
        StoreKind.Sqlite => new InMemoryStorage(new InMemoryStorageOptions()),
        StoreKind.Postgres => CreatePostgres(options),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.InstanceStore, "Unknown instance store."),
    };

    private static PostgreSqlStorage CreatePostgres(LakehouseOptions options)
    {
        var connectionString = InstanceBackends.BoundedPostgres(options);
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
