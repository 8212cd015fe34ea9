using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Lakehouse.Core.Instance.Sql;

/// <summary>
/// PostgreSQL, the shared instance: a bounded connection pool, the run row locked <c>FOR UPDATE</c>, typed parameters (so a
/// null still has a type), and every group of statements sent as one batch: one round trip, however many statements.
/// </summary>
internal sealed class PostgresDialect : SqlDialect
{
    /// <summary>Any fixed number shared by every process migrating an instance database.</summary>
    private const long MigrationLockKey = 0x746d_6c61_6b65; // "tmlake"

    private readonly NpgsqlDataSource _dataSource;

    public PostgresDialect(string connectionString, int maxPoolSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoolSize, 1);
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.MaxPoolSize = maxPoolSize;
        // The stores repeat a small set of statements; preparing them once per connection saves planning each call.
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0) builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
        _dataSource = builder.Build();
    }

    public override string Name => "postgres";
    public override string BeginWrite => "BEGIN;";
    public override bool BeginsEagerly => false;
    public override string LockRow => " FOR UPDATE";
    public override string LastInsertedId => "lastval()";
    public override string MigrationLock => $"SELECT pg_advisory_xact_lock({MigrationLockKey});";

    // Kept in the query as it was measured (an index scan, not a 100k-row sort), although the keys are "C" since migration 2.
    public override string InByteOrder(string column) => $"{column} COLLATE \"C\"";

    public override string JsonArrayRows(string parameter) =>
        $"(SELECT (t.ord - 1)::integer AS i, t.v FROM json_array_elements_text(@{parameter}) WITH ORDINALITY AS t(v, ord))";

    public override string AnyOf(string column, string parameter) => $"{column} = ANY(@{parameter})";

    // Keys are in "C": status reads order by them, and only a "C" primary key gives that order without a sort (what SQLite's byte order gives).
    public override string Types(string sql) => sql
        .Replace("{id}", "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY").Replace("{time}", "timestamptz").Replace("{json}", "json")
        .Replace("{bool}", "boolean").Replace("{key}", "text COLLATE \"C\"").Replace("{without_rowid}", "");

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await _dataSource.OpenConnectionAsync(cancellationToken);

    public override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    public override async Task ExecuteAsync(DbConnection connection, IReadOnlyList<SqlStatement> statements,
        Func<SqlStatement, DbDataReader, Task>? consume, SqlCommandCache cache, CancellationToken cancellationToken)
    {
        if (statements.Count == 0) return;
        await using var batch = new NpgsqlBatch((NpgsqlConnection)connection);
        foreach (var statement in statements)
        {
            var command = new NpgsqlBatchCommand(statement.Sql);
            foreach (var arg in statement.Args) command.Parameters.Add(Parameter(arg));
            batch.BatchCommands.Add(command);
        }
        if (consume is null || !statements.Any(s => s.ReturnsRows))
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
            return;
        }
        // Only statements that return rows have a result set in the reader, in statement order.
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var first = true;
        foreach (var statement in statements.Where(s => s.ReturnsRows))
        {
            if (!first && !await reader.NextResultAsync(cancellationToken))
                throw new InvalidOperationException($"No result set for: {statement.Sql}");
            first = false;
            await consume(statement, reader);
        }
        // Reads to the end, so an error of a later statement (a failed COMMIT) is not lost.
        while (await reader.NextResultAsync(cancellationToken)) { }
    }

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static NpgsqlParameter Parameter(SqlArg arg)
    {
        var (type, value) = arg.Type switch
        {
            SqlType.Text => (NpgsqlDbType.Text, arg.Value),
            SqlType.Json => (NpgsqlDbType.Json, arg.Value),
            SqlType.Int => (NpgsqlDbType.Integer, arg.Value),
            SqlType.Long => (NpgsqlDbType.Bigint, arg.Value),
            SqlType.Bool => (NpgsqlDbType.Boolean, arg.Value),
            SqlType.Time => (NpgsqlDbType.TimestampTz, ((DateTimeOffset?)arg.Value)?.ToUniversalTime()),
            SqlType.TextList => (NpgsqlDbType.Array | NpgsqlDbType.Text, ((IReadOnlyList<string>?)arg.Value)?.ToArray()),
            _ => throw new ArgumentOutOfRangeException(nameof(arg), arg.Type, "Unknown SQL type."),
        };
        return new NpgsqlParameter(arg.Name, type) { Value = value ?? DBNull.Value };
    }
}
