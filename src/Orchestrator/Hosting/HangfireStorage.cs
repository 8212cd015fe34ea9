using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Lakehouse.Core;
using Lakehouse.Core.Config;
using Microsoft.Extensions.DependencyInjection;

namespace TmLakehouse.Orchestrator.Hosting;

/// <summary>Registers Hangfire's job storage beside the instance: in memory with embedded SQLite, Hangfire.PostgreSql on the shared PostgreSQL.</summary>
public static class HangfireStorage
{
    /// <summary>The schema of Hangfire.PostgreSql's tables in the shared database.</summary>
    public const string PostgresSchema = "hangfire";

    /// <summary>
    /// Hangfire holds a connection per worker while it waits for a job (long polling) and needs more while steps enqueue
    /// their successors and heartbeat, plus its own background processes: a pool smaller than that starves job creation.
    /// </summary>
    public static int PoolSizeFor(LakehouseOptions options, int workers) => Math.Max(options.PostgresMaxPoolSize, 2 * workers + 8);

    /// <summary>The job storage that goes with the chosen instance database; call after UseSqlite / UsePostgres.</summary>
    public static LakehouseBuilder UseHangfire(this LakehouseBuilder lakehouse, int workers)
    {
        var instance = lakehouse.Instance ?? throw new InvalidOperationException("Choose the instance (UseSqlite, UsePostgres) before Hangfire's job storage, which follows it.");
        var options = lakehouse.Options;
        lakehouse.Services.AddSingleton<JobStorage>(_ => instance.PostgresConnectionString is { } connectionString
            ? Postgres(connectionString, options, workers)
            : new InMemoryStorage(new InMemoryStorageOptions()));
        return lakehouse;
    }

    private static PostgreSqlStorage Postgres(string connectionString, LakehouseOptions options, int workers)
    {
        var bounded = new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = PoolSizeFor(options, workers) }.ConnectionString;
        // Hangfire.PostgreSql's defaults (15 s polling, 30 min invisibility) would make a step wait seconds to start and a
        // killed worker's step wait half an hour: LISTEN/NOTIFY long polling picks jobs up at once, and a sliding invisibility
        // timeout keeps long steps owned while their worker lives but frees them soon after it dies.
        var storageOptions = new PostgreSqlStorageOptions
        {
            SchemaName = PostgresSchema,
            PrepareSchemaIfNecessary = true,
            EnableLongPolling = true,
            QueuePollInterval = TimeSpan.FromMilliseconds(500),
            UseSlidingInvisibilityTimeout = true,
            InvisibilityTimeout = options.JobInvisibilityTimeout,
            DistributedLockTimeout = TimeSpan.FromSeconds(30),
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(bounded, storageOptions, null), storageOptions);
    }
}
