using Npgsql;
using NpgsqlTypes;

namespace Lakehouse.Core.Instance.Postgres;

/// <summary>Small helpers to build typed commands, run transactions and read values on PostgreSQL.</summary>
internal static class PostgresCommands
{
    public static NpgsqlCommand Command(this NpgsqlConnection connection, string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        return command;
    }

    public static async Task ExecuteAsync(this NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = connection.Command(sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<T> InTransactionAsync<T>(this NpgsqlDataSource dataSource, Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await work(connection);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    // Parameters are typed so that a null still tells PostgreSQL its type (an untyped null in "@x IS NULL" is an error).
    /// <summary>One statement of an <see cref="NpgsqlBatch"/>: several go to the server in one round trip.</summary>
    public static NpgsqlBatchCommand BatchCommand(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    public static NpgsqlParameter Text(string name, string? value) => Typed(name, NpgsqlDbType.Text, value);
    public static NpgsqlParameter Json(string name, string? value) => Typed(name, NpgsqlDbType.Json, value);
    public static NpgsqlParameter Int(string name, int value) => Typed(name, NpgsqlDbType.Integer, value);
    public static NpgsqlParameter Long(string name, long? value) => Typed(name, NpgsqlDbType.Bigint, value);
    public static NpgsqlParameter Bool(string name, bool value) => Typed(name, NpgsqlDbType.Boolean, value);
    public static NpgsqlParameter Time(string name, DateTimeOffset? at) => Typed(name, NpgsqlDbType.TimestampTz, at?.ToUniversalTime());
    public static NpgsqlParameter TextArray(string name, string[] values) => Typed(name, NpgsqlDbType.Array | NpgsqlDbType.Text, values);

    public static DateTimeOffset ReadTime(NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    public static DateTimeOffset? ReadTimeOrNull(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : ReadTime(reader, ordinal);

    public static string? ReadStringOrNull(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static NpgsqlParameter Typed(string name, NpgsqlDbType type, object? value) =>
        new(name, type) { Value = value ?? DBNull.Value };
}
