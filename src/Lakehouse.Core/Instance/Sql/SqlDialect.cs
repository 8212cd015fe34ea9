using System.Data.Common;

namespace Lakehouse.Core.Instance.Sql;

/// <summary>
/// What differs between the instance databases, and nothing else: how connections open and transactions lock, how values are
/// bound and read (a time is ticks in SQLite, timestamptz in PostgreSQL), how statements travel (one by one in process,
/// batched in one round trip over the network), a few words of SQL, and the column types of migrations.
/// </summary>
internal abstract class SqlDialect : IAsyncDisposable
{
    /// <summary>The migration file suffix of this database (<c>sqlite</c>, <c>postgres</c>).</summary>
    public abstract string Name { get; }

    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>The statement that starts a write transaction; SQLite's takes the database's write lock at once.</summary>
    public abstract string BeginWrite { get; }

    /// <summary>True when <see cref="BeginWrite"/> must run before anything else is decided (SQLite's lock), false when it may travel with the next statements.</summary>
    public abstract bool BeginsEagerly { get; }

    /// <summary>
    /// Waits for this process's turn to write, before <see cref="BeginWrite"/>; the turn is given back by disposing the
    /// result (null when the database orders writers itself).
    /// </summary>
    public virtual ValueTask<IDisposable?> EnterWriteAsync(CancellationToken cancellationToken) => ValueTask.FromResult<IDisposable?>(null);

    /// <summary>The connection kept for writers, for a writer holding the turn (see <see cref="EnterWriteAsync"/>); null to open one per write.</summary>
    public virtual ValueTask<KeptWriter?> KeptWriterAsync(CancellationToken cancellationToken) => ValueTask.FromResult<KeptWriter?>(null);

    /// <summary>Drops a kept writer left in doubt (a failed rollback, a broken connection): the next write opens a new one.</summary>
    public virtual ValueTask DropKeptWriterAsync(KeptWriter writer) => writer.DisposeAsync();

    /// <summary>Appended to the SELECT that reads a run before deciding on it: a row lock where the database has them.</summary>
    public abstract string LockRow { get; }

    /// <summary>The id of the event the previous statement inserted, usable in the next statement of the same session.</summary>
    public abstract string LastInsertedId { get; }

    /// <summary>A condition that <paramref name="column"/> is one of the <see cref="SqlType.TextList"/> argument <paramref name="parameter"/>.</summary>
    public abstract string AnyOf(string column, string parameter);

    /// <summary>
    /// A row source (for FROM) over the JSON array of strings bound as <paramref name="parameter"/>, with columns <c>i</c> (the
    /// 0-based position) and <c>v</c> (the string): how thousands of rows go in with one statement and one argument.
    /// </summary>
    public abstract string JsonArrayRows(string parameter);

    /// <summary>An ORDER BY term that orders <paramref name="column"/> by its bytes, the order of the status keys' primary key.</summary>
    public abstract string InByteOrder(string column);

    /// <summary>Statements (and a lock) that make one process at a time apply migrations, inside the migration transaction.</summary>
    public abstract string MigrationLock { get; }

    /// <summary>Replaces the column-type words of a shared migration (<c>{id}</c>, <c>{time}</c>, <c>{json}</c>, <c>{bool}</c>, <c>{key}</c>, <c>{without_rowid}</c>).</summary>
    public abstract string Types(string sql);

    public abstract DateTimeOffset ReadTime(DbDataReader reader, int ordinal);

    public DateTimeOffset? ReadTimeOrNull(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : ReadTime(reader, ordinal);

    /// <summary>
    /// Runs the statements in order, as one round trip where the database allows; <paramref name="consume"/> reads the rows of
    /// each statement that returns rows, in order.
    /// </summary>
    public abstract Task ExecuteAsync(DbConnection connection, IReadOnlyList<SqlStatement> statements,
        Func<SqlStatement, DbDataReader, Task>? consume, SqlCommandCache cache, CancellationToken cancellationToken);

    /// <summary>
    /// Reads status rows (partition_key, state, run_id, updated_at, last_materialization_event_id, last_materialized_at, and
    /// asset when <paramref name="asset"/> is null). The 100,000-partition status read must finish in 200 ms: a dialect
    /// may read the rows its own faster way.
    /// </summary>
    public virtual async Task<List<AssetPartitionStatus>> ReadStatusesAsync(DbConnection connection, SqlStatement statement,
        Assets.AssetKey? asset, CancellationToken cancellationToken)
    {
        var statuses = new List<AssetPartitionStatus>();
        var assets = new Storage.AssetKeyCache();
        await ExecuteAsync(connection, [statement], async (_, reader) =>
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var partition = reader.GetString(0);
                statuses.Add(new AssetPartitionStatus(
                    asset ?? assets.Get(reader.GetString(6)),
                    partition == Storage.PartitionStatusRule.NoPartition ? null : new Partitions.PartitionKey(partition),
                    Storage.MaterializationStateText.Parse(reader.GetString(1)),
                    reader.GetString(2),
                    ReadTime(reader, 3))
                {
                    LastMaterializationEventId = reader.IsDBNull(4) ? null : reader.GetInt64(4),
                    LastMaterializedAt = ReadTimeOrNull(reader, 5),
                });
            }
        }, new SqlCommandCache(), cancellationToken);
        return statuses;
    }

    public abstract ValueTask DisposeAsync();
}
