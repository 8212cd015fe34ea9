using Lakehouse.Core.Instance.Sql;

namespace Lakehouse.Core.Instance;

/// <summary>
/// Opens a <see cref="LakehouseInstance"/> on SQLite (embedded mode) or PostgreSQL (shared mode): one store implementation
/// over the database's dialect, its schema brought up to date first. The clock is the runtime's, down to the stores.
/// </summary>
public static class InstanceStores
{
    public static async Task<LakehouseInstance> OpenSqliteAsync(string path, TimeProvider clock, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var dialect = new SqliteDialect(full);
        return await OpenAsync(dialect, clock, () => dialect.UseWriteAheadLogAsync(cancellationToken), cancellationToken);
    }

    public static Task<LakehouseInstance> OpenPostgresAsync(string connectionString, int maxPoolSize, TimeProvider clock, CancellationToken cancellationToken) =>
        OpenAsync(new PostgresDialect(connectionString, maxPoolSize), clock, () => Task.CompletedTask, cancellationToken);

    private static async Task<LakehouseInstance> OpenAsync(SqlDialect dialect, TimeProvider clock, Func<Task> prepare, CancellationToken cancellationToken)
    {
        try
        {
            await prepare();
            await SqlMigrator.MigrateAsync(dialect, clock, cancellationToken);
        }
        catch
        {
            await dialect.DisposeAsync();
            throw;
        }
        return Create(dialect, clock);
    }

    internal static LakehouseInstance Create(SqlDialect dialect, TimeProvider clock) => new(
        new SqlRunStore(dialect, clock),
        new SqlEventLogStore(dialect),
        new SqlDynamicPartitionStore(dialect),
        new SqlSchedulingStore(dialect),
        new SqlLedgerStore(dialect)) { Owned = dialect };
}
