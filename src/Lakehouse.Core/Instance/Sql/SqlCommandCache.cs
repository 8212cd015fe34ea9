using System.Data.Common;

namespace Lakehouse.Core.Instance.Sql;

/// <summary>
/// The commands of one connection's use, one per statement text, so a statement repeated in a session (an insert per step of
/// a plan, per event of a batch) is prepared once. Disposed with the session, or with the kept writer connection
/// (<see cref="KeptWriter"/>) whose sessions it then serves for the process's life: bounded, since some statement texts vary
/// (multi-row inserts).
/// </summary>
internal sealed class SqlCommandCache : IAsyncDisposable
{
    private const int MaxCommands = 256;
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

    public DbCommand Get(DbConnection connection, string sql)
    {
        if (_commands.TryGetValue(sql, out var command)) return command;
        if (_commands.Count >= MaxCommands)
        {
            foreach (var old in _commands.Values) old.Dispose();
            _commands.Clear();
        }
        command = connection.CreateCommand();
        command.CommandText = sql;
        _commands.Add(sql, command);
        return command;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _commands.Values) await command.DisposeAsync();
        _commands.Clear();
    }
}
