using DuckDB.NET.Data;

namespace Lakehouse.Core.Sql;

/// <summary>
/// One in-memory DuckDB database for every engine of the process that asks for it (the SQL model steps), open while at least one
/// such engine is: steps then share one buffer pool under one <c>memory_limit</c> and one thread pool, instead of each holding its
/// own (two steps at once on the 1 GB Silver peaked at the sum of two caps). Each engine gets its own connection and its own
/// attached catalog, so views and tables of one step never meet another's. When the last engine closes, the database closes and
/// DuckDB's memory goes back to the system.
/// At most as many engines as their caller allows hold the database at once; the others wait their turn in arrival order. The
/// database's threads already use every core, so a second query at once adds memory rather than speed (the four per-round Gold
/// models on the 1 GB Silver, whole CLI process: 357–383 MB peak two at a time, 295–331 MB one at a time, 2.9–3.0 s against 3.0–3.4 s).
/// </summary>
internal static class SharedDuckDb
{
    private static readonly Lock Gate = new();
    private static readonly Queue<Waiter> Waiting = new();
    private static DuckDBConnection? _root;
    private static string _defaultCatalog = "memory";
    private static int _users;
    private static long _next;

    /// <summary>
    /// A connection of the shared database, its session switched to a fresh catalog, once fewer than <paramref name="holders"/>
    /// engines hold it (<paramref name="waiting"/> is called first when this call has to wait). <paramref name="globalSettings"/>
    /// (the database's) are applied at every call, <paramref name="openingSettings"/> only when the database opens: DuckDB
    /// refuses to move its spill folder once used, so the first engine's folder serves until the database closes.
    /// </summary>
    public static async Task<(DuckDBConnection Connection, string Catalog, string DefaultCatalog)> AcquireAsync(string globalSettings, string openingSettings,
        int holders, Action? waiting, CancellationToken cancellationToken)
    {
        await TakeTurnAsync(Math.Max(1, holders), waiting, cancellationToken);
        lock (Gate)
        {
            DuckDBConnection? connection = null;
            try
            {
                _root ??= OpenRoot(openingSettings);
                using (var command = _root.CreateCommand())
                {
                    command.CommandText = globalSettings;
                    command.ExecuteNonQuery();
                }
                connection = _root.Duplicate();
                var catalog = $"step_{Interlocked.Increment(ref _next)}";
                connection.Open();
                using (var command = connection.CreateCommand())
                {
                    command.CommandText = $"ATTACH ':memory:' AS {catalog}; USE {catalog}";
                    command.ExecuteNonQuery();
                }
                return (connection, catalog, _defaultCatalog);
            }
            catch
            {
                connection?.Dispose();
                ReleaseLocked();
                throw;
            }
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

    private static DuckDBConnection OpenRoot(string openingSettings)
    {
        var root = new DuckDBConnection("Data Source=:memory:");
        try
        {
            root.Open();
            using var command = root.CreateCommand();
            command.CommandText = "SELECT current_database()";
            _defaultCatalog = (string)command.ExecuteScalar()!;
            command.CommandText = openingSettings;
            command.ExecuteNonQuery();
            return root;
        }
        catch
        {
            root.Dispose();
            throw;
        }
    }

    /// <summary>Counts this caller among the holders, at once when fewer than <paramref name="holders"/> hold the database and nobody waits before it.</summary>
    private static async Task TakeTurnAsync(int holders, Action? waiting, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (Gate)
        {
            AdmitWaitingLocked();
            if (Waiting.Count == 0 && _users < holders)
            {
                _users++;
                return;
            }
            waiter = new Waiter(holders);
            Waiting.Enqueue(waiter);
        }
        waiting?.Invoke();
        await using (cancellationToken.Register(() => waiter.Turn.TrySetCanceled(cancellationToken)))
            await waiter.Turn.Task;
    }

    private static void ReleaseLocked()
    {
        _users--;
        if (_users == 0 && _root is not null)
        {
            _root.Dispose();
            _root = null;
        }
        AdmitWaitingLocked();
    }

    /// <summary>Gives the turn to the waiters at the head of the line while there is room; one that gave up (its step was canceled) is passed over.</summary>
    private static void AdmitWaitingLocked()
    {
        while (Waiting.TryPeek(out var next))
        {
            if (!next.Turn.Task.IsCompleted && _users >= next.Holders) return;
            Waiting.Dequeue();
            if (next.Turn.TrySetResult()) _users++;
        }
    }

    private sealed class Waiter(int holders)
    {
        public int Holders { get; } = holders;
        public TaskCompletionSource Turn { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
