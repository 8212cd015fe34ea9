using System.Data.Common;
using System.Text.Json;
using Lakehouse.Core.Assets;
using Microsoft.Data.Sqlite;

namespace Lakehouse.Core.Instance.Sql;

/// <summary>
/// SQLite, the embedded instance: pooled connections to one file in WAL mode, <c>BEGIN IMMEDIATE</c> as the run lock (the
/// database has one writer), times as UTC ticks, and statements run one after another in process (no round trips to save),
/// each prepared once per session.
/// </summary>
internal sealed class SqliteDialect : SqlDialect
{
    /// <summary>As long as SQLite itself waits for the write lock (busy_timeout): past it, the write goes on to meet the lock there.</summary>
    private static readonly TimeSpan WriteTurnWait = TimeSpan.FromSeconds(30);

    private static readonly object Marker = new();

    /// <summary>The native connections whose pragmas are set; an entry goes with its connection.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> Configured = new();

    private readonly string _connectionString;

    // This process's writers take turns here rather than at BEGIN IMMEDIATE, where SQLite's busy handler puts a writer that
    // finds the lock taken to sleep for milliseconds at a time: two workers ending steps met there on nearly every step.
    // Other processes still meet at the file's lock.
    private readonly SemaphoreSlim _writeTurn = new(1, 1);

    public SqliteDialect(string path)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 60,
        }.ToString();
    }

    public override string Name => "sqlite";
    public override string BeginWrite => "BEGIN IMMEDIATE;";
    public override bool BeginsEagerly => true;
    public override string LockRow => "";
    public override string LastInsertedId => "last_insert_rowid()";
    public override string MigrationLock => "";

    public override string JsonArrayRows(string parameter) => $"(SELECT key AS i, value AS v FROM json_each(@{parameter}))";

    public override string InByteOrder(string column) => column;

    public override string AnyOf(string column, string parameter) => $"{column} IN (SELECT value FROM json_each(@{parameter}))";

    public override string Types(string sql) => sql
        .Replace("{id}", "INTEGER PRIMARY KEY AUTOINCREMENT").Replace("{time}", "INTEGER").Replace("{json}", "TEXT")
        .Replace("{bool}", "INTEGER").Replace("{key}", "TEXT").Replace("{without_rowid}", "WITHOUT ROWID");

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            // Per-connection settings: wait for another writer instead of failing, and keep WAL commits cheap but durable on crash.
            // They last as long as the native connection, which the pool hands out again: set once per native connection, not on
            // every open (they were a statement of their own per transaction).
            if (connection.Handle is { } handle && !Configured.TryGetValue(handle, out _))
            {
                await using var pragmas = connection.CreateCommand();
                pragmas.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";
                await pragmas.ExecuteNonQueryAsync(cancellationToken);
                Configured.AddOrUpdate(handle, Marker);
            }
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public override async ValueTask<IDisposable?> EnterWriteAsync(CancellationToken cancellationToken) =>
        await _writeTurn.WaitAsync(WriteTurnWait, cancellationToken) ? new WriteTurn(_writeTurn) : null;

    // Only touched by the writer holding the turn. A step's claim and end each cost a connection open and the preparing of
    // every statement again before: a fifth of the per-step CPU in the orchestrator bench's profile.
    private KeptWriter? _kept;

    public override async ValueTask<KeptWriter?> KeptWriterAsync(CancellationToken cancellationToken) =>
        _kept ??= new KeptWriter(await OpenAsync(cancellationToken));

    public override async ValueTask DropKeptWriterAsync(KeptWriter writer)
    {
        if (ReferenceEquals(_kept, writer)) _kept = null;
        await writer.DisposeAsync();
    }

    private sealed class WriteTurn(SemaphoreSlim turn) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) turn.Release();
        }
    }

    /// <summary>Sets the file to WAL mode, which lasts with the file, so readers never wait for the writer.</summary>
    public async Task UseWriteAheadLogAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => new(reader.GetInt64(ordinal), TimeSpan.Zero);

    public override async Task ExecuteAsync(DbConnection connection, IReadOnlyList<SqlStatement> statements,
        Func<SqlStatement, DbDataReader, Task>? consume, SqlCommandCache cache, CancellationToken cancellationToken)
    {
        foreach (var statement in statements)
        {
            var command = cache.Get(connection, statement.Sql);
            command.Parameters.Clear();
            foreach (var arg in statement.Args) command.Parameters.Add(new SqliteParameter("@" + arg.Name, Value(arg)));
            if (statement.ReturnsRows && consume is not null)
            {
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                await consume(statement, reader);
            }
            else
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    public override Task<List<AssetPartitionStatus>> ReadStatusesAsync(DbConnection connection, SqlStatement statement, AssetKey? asset,
        CancellationToken cancellationToken) =>
        // Synchronous: SQLite runs in process, so awaiting per row would only add cost (it never yields).
        Task.FromResult(SqliteStatusRows.Read((SqliteConnection)connection, statement, asset, cancellationToken));

    public override async ValueTask DisposeAsync()
    {
        if (_kept is { } kept)
        {
            _kept = null;
            await kept.DisposeAsync();
        }
        // Pooled connections keep the file open; release them so the file can be moved or deleted.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private static object Value(SqlArg arg) => arg.Value is null ? DBNull.Value : arg.Type switch
    {
        // Times are stored as UTC ticks: exact, and ordered as numbers.
        SqlType.Time => ((DateTimeOffset)arg.Value).UtcTicks,
        SqlType.Bool => (bool)arg.Value ? 1L : 0L,
        SqlType.TextList => JsonSerializer.Serialize((IReadOnlyList<string>)arg.Value),
        _ => arg.Value,
    };
}
