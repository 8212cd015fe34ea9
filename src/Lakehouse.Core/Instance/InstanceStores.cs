using Lakehouse.Core.Instance.Postgres;
using Lakehouse.Core.Instance.Sqlite;
using Npgsql;

namespace Lakehouse.Core.Instance;

/// <summary>Opens a <see cref="LakehouseInstance"/> on SQLite (embedded mode) or PostgreSQL (shared mode), bringing its schema up to date first.</summary>
public static class InstanceStores
{
    public static async Task<LakehouseInstance> OpenSqliteAsync(string path, CancellationToken ct)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var database = new SqliteDatabase(full);
        try
        {
            await database.UseWriteAheadLogAsync(ct);
            await SqliteMigrator.MigrateAsync(database, TimeProvider.System, ct);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
        return new LakehouseInstance(
            new SqliteRunStore(database, TimeProvider.System),
            new SqliteEventLogStore(database),
            new SqliteDynamicPartitionStore(database),
            new SqliteSchedulingStore(database),
            new SqliteLedgerStore(database)) { Owned = database };
    }

    public static async Task<LakehouseInstance> OpenPostgresAsync(string connectionString, int maxPoolSize, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoolSize, 1);
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.MaxPoolSize = maxPoolSize;
        // The stores repeat a small set of statements; preparing them once per connection saves planning each call.
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0) builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
        var dataSource = builder.Build();
        try
        {
            await PostgresMigrator.MigrateAsync(dataSource, ct);
        }
        catch
        {
            await dataSource.DisposeAsync();
            throw;
        }
        return new LakehouseInstance(
            new PostgresRunStore(dataSource, TimeProvider.System),
            new PostgresEventLogStore(dataSource),
            new PostgresDynamicPartitionStore(dataSource),
            new PostgresSchedulingStore(dataSource),
            new PostgresLedgerStore(dataSource)) { Owned = dataSource };
    }
}
