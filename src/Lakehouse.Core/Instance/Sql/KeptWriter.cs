using System.Data.Common;

namespace Lakehouse.Core.Instance.Sql;

/// <summary>
/// A connection, with its prepared commands, that a dialect keeps for its process's writers, who use it one at a time in turn
/// (<see cref="SqlDialect.EnterWriteAsync"/>): a write then opens no connection and prepares no statement it ran before.
/// </summary>
internal sealed class KeptWriter(DbConnection connection) : IAsyncDisposable
{
    public DbConnection Connection { get; } = connection;
    public SqlCommandCache Commands { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await Commands.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
