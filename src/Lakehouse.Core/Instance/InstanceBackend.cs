using Lakehouse.Core.Instance.Sql;

namespace Lakehouse.Core.Instance;

/// <summary>
/// The database of an instance, chosen but not yet opened: <see cref="PrepareAsync"/> brings its schema up to date (once,
/// at start), <see cref="Create"/> makes the stores over it (no I/O, so a DI container can call it).
/// </summary>
public sealed class InstanceBackend
{
    private readonly SqlDialect _dialect;
    private readonly Func<CancellationToken, Task> _prepare;

    private InstanceBackend(SqlDialect dialect, Func<CancellationToken, Task> prepare, string? postgresConnectionString)
    {
        _dialect = dialect;
        _prepare = prepare;
        PostgresConnectionString = postgresConnectionString;
    }

    /// <summary>The PostgreSQL connection string of a shared instance; null for the embedded SQLite one.</summary>
    public string? PostgresConnectionString { get; }

    public static InstanceBackend Sqlite(string path)
    {
        var full = Path.GetFullPath(path);
        var dialect = new SqliteDialect(full);
        return new InstanceBackend(dialect, ct =>
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            return dialect.UseWriteAheadLogAsync(ct);
        }, null);
    }

    public static InstanceBackend Postgres(string connectionString, int maxPoolSize) =>
        new(new PostgresDialect(connectionString, maxPoolSize), _ => Task.CompletedTask, connectionString);

    /// <summary>Runs the migrations not yet applied (two processes starting at once apply each once).</summary>
    public async Task PrepareAsync(TimeProvider clock, CancellationToken cancellationToken)
    {
        await _prepare(cancellationToken);
        await SqlMigrator.MigrateAsync(_dialect, clock, cancellationToken);
    }

    /// <summary>The stores over this database; the instance owns the connection pool and releases it when disposed.</summary>
    public LakehouseInstance Create(TimeProvider clock) => new(
        new SqlRunStore(_dialect, clock),
        new SqlEventLogStore(_dialect),
        new SqlDynamicPartitionStore(_dialect),
        new SqlSchedulingStore(_dialect),
        new SqlLedgerStore(_dialect)) { Owned = _dialect, Sensors = new SqlSensorStore(_dialect), Backfills = new SqlBackfillStore(_dialect),
            Automation = new SqlAutomationStore(_dialect), Alerts = new SqlAlertStore(_dialect), Pools = new SqlPoolSlotStore(_dialect) };
}
