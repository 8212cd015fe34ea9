using System.Data.Common;

namespace Lakehouse.Core.Instance.Sql;

/// <summary>
/// One connection, in a write transaction or not. Writes are held back and sent in front of the next read (or with the
/// COMMIT), so on PostgreSQL a decision costs a few round trips however many statements it makes; a read always sees
/// the writes before it.
/// </summary>
internal sealed class SqlSession : IAsyncDisposable
{
    private readonly DbConnection _connection;
    private readonly SqlCommandCache _commands;
    private readonly KeptWriter? _kept;
    private readonly List<SqlStatement> _queued = [];
    private readonly CancellationToken _cancellationToken;
    private bool _inTransaction;
    private IDisposable? _writeTurn;
    private bool _begunOnServer;

    private SqlSession(SqlDialect dialect, DbConnection connection, CancellationToken cancellationToken, KeptWriter? kept = null)
    {
        Dialect = dialect;
        _connection = connection;
        _commands = kept?.Commands ?? new SqlCommandCache();
        _kept = kept;
        _cancellationToken = cancellationToken;
    }

    public SqlDialect Dialect { get; }

    public static async Task<SqlSession> OpenAsync(SqlDialect dialect, CancellationToken cancellationToken) =>
        new(dialect, await dialect.OpenAsync(cancellationToken), cancellationToken);

    /// <summary>Opens a session in a write transaction; SQLite takes its write lock here, before the first read.</summary>
    public static async Task<SqlSession> BeginWriteAsync(SqlDialect dialect, CancellationToken cancellationToken)
    {
        var turn = await dialect.EnterWriteAsync(cancellationToken);
        SqlSession session;
        try
        {
            // Holding the turn, this is the process's one writer: it may use the connection the dialect keeps for writers.
            session = (turn is null ? null : await dialect.KeptWriterAsync(cancellationToken)) is { } kept
                ? new SqlSession(dialect, kept.Connection, cancellationToken, kept)
                : await OpenAsync(dialect, cancellationToken);
        }
        catch
        {
            turn?.Dispose();
            throw;
        }
        session._writeTurn = turn;
        try
        {
            session._inTransaction = true;
            session.Queue(new SqlStatement(dialect.BeginWrite));
            if (dialect.BeginsEagerly) await session.FlushAsync();
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>The open connection, for a dialect's own fast reads.</summary>
    public DbConnection Connection => _connection;

    public void Queue(SqlStatement statement) => _queued.Add(statement);

    public void Queue(IEnumerable<SqlStatement> statements) => _queued.AddRange(statements);

    /// <summary>One round trip: the held-back writes, then the reads, each read's rows handed to <paramref name="consume"/>.</summary>
    public Task ReadAsync(IReadOnlyList<SqlStatement> reads, Func<SqlStatement, DbDataReader, Task> consume) => SendAsync(reads, consume);

    public Task ReadAsync(SqlStatement read, Func<DbDataReader, Task> consume) => SendAsync([read], (_, reader) => consume(reader));

    /// <summary>The rows of one read, each made by <paramref name="row"/>.</summary>
    public async Task<List<T>> ListAsync<T>(SqlStatement read, Func<DbDataReader, T> row)
    {
        var rows = new List<T>();
        await ReadAsync(read, async reader =>
        {
            while (await reader.ReadAsync(_cancellationToken)) rows.Add(row(reader));
        });
        return rows;
    }

    /// <summary>The first row of a read made by <paramref name="row"/>, or the default when there is none.</summary>
    public async Task<T?> FirstAsync<T>(SqlStatement read, Func<DbDataReader, T> row)
    {
        var found = default(T);
        await ReadAsync(read, async reader =>
        {
            if (await reader.ReadAsync(_cancellationToken)) found = row(reader);
        });
        return found;
    }

    public Task FlushAsync() => SendAsync([], null);

    /// <summary>Sends the held-back writes, then runs a script of several statements (a migration) as one command.</summary>
    public async Task ExecuteScriptAsync(string sql)
    {
        await FlushAsync();
        await using var command = _connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(_cancellationToken);
    }

    /// <summary>Sends the held-back writes, then <paramref name="reads"/>, then the COMMIT: one round trip on PostgreSQL.</summary>
    public async Task CommitAsync(IReadOnlyList<SqlStatement>? reads = null, Func<SqlStatement, DbDataReader, Task>? consume = null)
    {
        if (!_inTransaction) throw new InvalidOperationException("The session has no transaction to commit.");
        var statements = new List<SqlStatement>(reads ?? []) { new("COMMIT;") };
        await SendAsync(statements, consume);
        _inTransaction = false;
    }

    private async Task SendAsync(IReadOnlyList<SqlStatement> statements, Func<SqlStatement, DbDataReader, Task>? consume)
    {
        if (_queued.Count == 0 && statements.Count == 0) return;
        var all = new List<SqlStatement>(_queued.Count + statements.Count);
        all.AddRange(_queued);
        all.AddRange(statements);
        _queued.Clear();
        if (_inTransaction) _begunOnServer = true;
        await Dialect.ExecuteAsync(_connection, all, consume, _commands, _cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        // A transaction still open here was abandoned by an exception: roll it back so the pooled connection comes back clean.
        var clean = !_inTransaction;
        if (_inTransaction && _begunOnServer && _connection.State == System.Data.ConnectionState.Open)
        {
            try
            {
                await using var rollback = _connection.CreateCommand();
                rollback.CommandText = "ROLLBACK;";
                await rollback.ExecuteNonQueryAsync(CancellationToken.None);
                clean = true;
            }
            catch (DbException)
            {
                // A broken connection: the server ends the transaction with it, and the pool drops it.
            }
        }
        if (_kept is null)
        {
            await _commands.DisposeAsync();
            await _connection.DisposeAsync();
        }
        else if (!clean || _connection.State != System.Data.ConnectionState.Open)
        {
            await Dialect.DropKeptWriterAsync(_kept);
        }
        _writeTurn?.Dispose();
    }
}
