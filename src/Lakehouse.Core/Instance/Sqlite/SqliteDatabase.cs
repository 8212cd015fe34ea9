using Microsoft.Data.Sqlite;

namespace Lakehouse.Core.Instance.Sqlite;

/// <summary>Opens configured connections to one SQLite instance file and runs write-locked transactions on them.</summary>
internal sealed class SqliteDatabase : IAsyncDisposable
{
    private readonly string _connectionString;

    public SqliteDatabase(string path)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 60,
        }.ToString();
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            // Per-connection settings: wait for another writer instead of failing, and keep WAL commits cheap but durable on crash.
            await connection.ExecuteAsync("PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;", cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sets the file to WAL mode, which lasts with the file, so readers never wait for the writer.</summary>
    public async Task UseWriteAheadLogAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL;", cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="work"/> inside <c>BEGIN IMMEDIATE</c>: the write lock is taken before the first read, so a
    /// decision made on what was read cannot be raced by another writer.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync("BEGIN IMMEDIATE;", cancellationToken);
        try
        {
            var result = await work(connection);
            await connection.ExecuteAsync("COMMIT;", cancellationToken);
            return result;
        }
        catch
        {
            await connection.ExecuteAsync("ROLLBACK;", CancellationToken.None);
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; release them so the file can be moved or deleted.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }
}
