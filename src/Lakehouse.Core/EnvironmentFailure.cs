using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Lakehouse.Core;

/// <summary>
/// Recognizes failures of the machine rather than of the input or the code — a full or read-only disk, denied access, a database
/// or object store that cannot be reached — and says what to do about them in one sentence. Front ends exit 3 for these.
/// </summary>
public static class EnvironmentFailure
{
    /// <summary>The metadata key (and value) a failed step's event carries when the machine, not the step, failed.</summary>
    public const string MetadataKey = "failure_kind", MetadataValue = "environment";

    // errno values (Linux): .NET puts them in IOException.HResult for errors it has no dedicated exception type for.
    private const int NoSpace = 28, ReadOnlyFileSystem = 30, QuotaExceeded = 122;

    /// <summary>A one-sentence description when <paramref name="exception"/> (or an exception inside it) is an environment failure; else null.</summary>
    public static string? Describe(Exception exception)
    {
        foreach (var ex in Chain(exception))
        {
            if (Of(ex) is { } text) return text;
        }
        return null;
    }

    private static string? Of(Exception ex) => ex switch
    {
        IOException { HResult: NoSpace or QuotaExceeded } => $"The disk is full: {ex.Message}. Free some space, then run again.",
        IOException { HResult: ReadOnlyFileSystem } => $"The file system is read-only: {ex.Message}. Make it writable, then run again.",
        UnauthorizedAccessException => $"Permission denied: {ex.Message}. Give this user access to it, then run again.",
        SqliteException { SqliteErrorCode: 13 } => $"The disk holding a SQLite database (under TM_HOME) is full: {ex.Message}. Free some space, then run again.",
        SqliteException { SqliteErrorCode: 8 } => $"A SQLite database under TM_HOME is read-only: {ex.Message}. Make TM_HOME writable, then run again.",
        SqliteException { SqliteErrorCode: 10 or 14 } =>
            $"SQLite could not read or write its database under TM_HOME: {ex.Message}. The disk may be full or read-only; fix that, then run again.",
        PostgresException { SqlState: "53100" } => $"PostgreSQL's disk is full: {ex.Message}.",
        PostgresException { SqlState: "25006" } => $"PostgreSQL is read-only (a standby?): {ex.Message}.",
        PostgresException p when p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState.StartsWith("57P", StringComparison.Ordinal) =>
            $"PostgreSQL refused or dropped the connection: {ex.Message}.",
        SocketException => $"A server could not be reached: {ex.Message}. Check that it runs and that TM_POSTGRES / TM_S3_ENDPOINT point at it.",
        // ParquetSharp's native writer reports the C library's text, not an errno.
        ParquetSharp.ParquetException when ex.Message.Contains("No space left on device", StringComparison.Ordinal) =>
            $"The disk is full: {ex.Message}. Free some space, then run again.",
        ParquetSharp.ParquetException when ex.Message.Contains("Read-only file system", StringComparison.Ordinal) =>
            $"The file system is read-only: {ex.Message}. Make it writable, then run again.",
        _ => null,
    };

    private static IEnumerable<Exception> Chain(Exception ex)
    {
        var pending = new Stack<Exception>([ex]);
        var seen = 0;
        while (pending.Count > 0 && seen++ < 32)
        {
            var next = pending.Pop();
            yield return next;
            if (next is AggregateException aggregate)
                foreach (var inner in aggregate.InnerExceptions.Reverse()) pending.Push(inner);
            else if (next.InnerException is { } inner) pending.Push(inner);
        }
    }
}
