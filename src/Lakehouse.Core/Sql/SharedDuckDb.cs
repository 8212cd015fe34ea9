using DuckDB.NET.Data;

namespace Lakehouse.Core.Sql;

/// <summary>
/// One in-memory DuckDB database for every engine of the process that asks for it (the SQL model steps), open while at least one
/// such engine is: concurrent steps then share one buffer pool under one <c>memory_limit</c> and one thread pool, instead of each
/// holding its own (two steps at once on the 1 GB Silver peaked at the sum of two caps). Each engine gets its own connection and
/// its own attached catalog, so views and tables of one step never meet another's. When the last engine closes, the database
/// closes and DuckDB's memory goes back to the system.
/// </summary>
internal static class SharedDuckDb
{
    private static readonly Lock Gate = new();
    private static DuckDBConnection? _root;
    private static string _defaultCatalog = "memory";
    private static int _users;
    private static long _next;

    /// <summary>
    /// A connection of the shared database, its session switched to a fresh catalog. <paramref name="globalSettings"/> (the
    /// database's) are applied at every call, <paramref name="openingSettings"/> only when the database opens: DuckDB refuses to
    /// move its spill folder once used, so the first engine's folder serves until the database closes.
    /// </summary>
    public static (DuckDBConnection Connection, string Catalog, string DefaultCatalog) Acquire(string globalSettings, string openingSettings)
    {
        lock (Gate)
        {
            if (_root is null)
            {
                var root = new DuckDBConnection("Data Source=:memory:");
                root.Open();
                using (var command = root.CreateCommand())
                {
                    command.CommandText = "SELECT current_database()";
                    _defaultCatalog = (string)command.ExecuteScalar()!;
                    command.CommandText = openingSettings;
                    command.ExecuteNonQuery();
                }
                _root = root;
            }
            using (var command = _root.CreateCommand())
            {
                command.CommandText = globalSettings;
                command.ExecuteNonQuery();
            }
            var connection = _root.Duplicate();
            _users++;
            var catalog = $"step_{Interlocked.Increment(ref _next)}";
            try
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = $"ATTACH ':memory:' AS {catalog}; USE {catalog}";
                command.ExecuteNonQuery();
            }
            catch
            {
                connection.Dispose();
                ReleaseLocked();
                throw;
            }
            return (connection, catalog, _defaultCatalog);
        }
    }

    /// <summary>Drops the engine's catalog (and with it its tables' memory), closes its connection, and the database after the last one.</summary>
    public static void Release(DuckDBConnection connection, string catalog, string defaultCatalog)
    {
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"USE {defaultCatalog}; DETACH {catalog}";
            command.ExecuteNonQuery();
        }
        finally
        {
            connection.Dispose();
            lock (Gate) ReleaseLocked();
        }
    }

    private static void ReleaseLocked()
    {
        if (--_users > 0 || _root is null) return;
        _root.Dispose();
        _root = null;
    }
}
