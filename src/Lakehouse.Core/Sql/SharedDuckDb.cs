using DuckDB.NET.Data;

namespace Lakehouse.Core.Sql;

/// <summary>
/// One in-memory DuckDB database for every engine of the process that asks for it (the SQL model steps), open while at least one
/// such engine is: steps then share one buffer pool under one <c>memory_limit</c> and one thread pool, instead of each holding its
/// own (two steps at once on the 1 GB Silver peaked at the sum of two caps). Each engine gets its own connection and its own
/// attached catalog, so views and tables of one step never meet another's. When the last engine closes, the database closes and
/// DuckDB's memory goes back to the system.
/// At most as many engines as their caller allows hold the database at once, and more than one only while their inputs are
/// small; the others wait their turn in arrival order. On large inputs the database's threads already use every core, so a
/// second query at once adds memory rather than speed (the four per-round Gold models on the 1 GB Silver, whole CLI process:
/// 357–383 MB peak two at a time, 295–331 MB one at a time, 2.9–3.0 s against 3.0–3.4 s). On small ones a step's time is mostly
/// its own single-threaded work (binding, describing, its tests' many short queries), which a second step overlaps.
/// </summary>
internal static class SharedDuckDb
{
    private static readonly Lock Gate = new();
    private static readonly Queue<Waiter> Waiting = new();
    private static DuckDBConnection? _root;
    private static string _defaultCatalog = "memory";
    private static int _users;
    private static long _heldBytes;
    private static long _next;

    /// <summary>
    /// A connection of the shared database, its session switched to a fresh catalog, once <paramref name="limits"/> let an engine
    /// reading <paramref name="inputBytes"/> in beside those holding it (<paramref name="waiting"/> is called first when this call has to wait). <paramref name="globalSettings"/>
    /// (the database's) are applied at every call, <paramref name="openingSettings"/> only when the database opens: DuckDB
    /// refuses to move its spill folder once used, so the first engine's folder serves until the database closes.
    /// </summary>
    public static async Task<(DuckDBConnection Connection, string Catalog, string DefaultCatalog)> AcquireAsync(string globalSettings, string openingSettings,
        SharedEngineLimits limits, long inputBytes, Action? waiting, CancellationToken cancellationToken)
    {
        var turn = new Waiter(Math.Max(1, limits.Holders), Math.Max(0, limits.JoinInputMegabytes) * 1024L * 1024L, inputBytes);
        await TakeTurnAsync(turn, waiting, cancellationToken);
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
                ReleaseLocked(turn.InputBytes);
                throw;
            }
        }
    }

    /// <summary>
    /// Drops the engine's catalog (and with it its tables' memory), closes its connection, and the database after the last one
    /// unless another engine waits for it. <paramref name="inputBytes"/> is what the engine was let in with.
    /// </summary>
    public static void Release(DuckDBConnection connection, string catalog, string defaultCatalog, long inputBytes)
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
            lock (Gate) ReleaseLocked(inputBytes);
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

    /// <summary>Counts this caller among the holders, at once when its limits let it in and nobody waits before it.</summary>
    private static async Task TakeTurnAsync(Waiter turn, Action? waiting, CancellationToken cancellationToken)
    {
        lock (Gate)
        {
            AdmitWaitingLocked();
            if (Waiting.Count == 0 && FitsLocked(turn))
            {
                EnterLocked(turn);
                return;
            }
            Waiting.Enqueue(turn);
        }
        waiting?.Invoke();
        await using (cancellationToken.Register(() => turn.Turn.TrySetCanceled(cancellationToken)))
            await turn.Turn.Task;
    }

    private static bool FitsLocked(Waiter turn) =>
        _users == 0 || (_users < turn.Holders && _heldBytes + turn.InputBytes <= turn.JoinInputBytes);

    private static void EnterLocked(Waiter turn)
    {
        _users++;
        _heldBytes += turn.InputBytes;
    }

    private static void ReleaseLocked(long inputBytes)
    {
        _users--;
        _heldBytes -= inputBytes;
        // Closed only when nobody waits: the next step in line would open it again at once (a fresh database and its settings
        // on every step of a run of many small ones).
        if (_users == 0 && _root is not null && !Waiting.Any(w => !w.Turn.Task.IsCompleted))
        {
            _root.Dispose();
            _root = null;
        }
        AdmitWaitingLocked();
    }

    /// <summary>Gives the turn to the waiters at the head of the line while they fit; one that gave up (its step was canceled) is passed over.</summary>
    private static void AdmitWaitingLocked()
    {
        while (Waiting.TryPeek(out var next))
        {
            if (!next.Turn.Task.IsCompleted && !FitsLocked(next)) return;
            Waiting.Dequeue();
            if (next.Turn.TrySetResult()) EnterLocked(next);
        }
    }

    private sealed class Waiter(int holders, long joinInputBytes, long inputBytes)
    {
        public int Holders { get; } = holders;
        public long JoinInputBytes { get; } = joinInputBytes;
        public long InputBytes { get; } = inputBytes;
        public TaskCompletionSource Turn { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
