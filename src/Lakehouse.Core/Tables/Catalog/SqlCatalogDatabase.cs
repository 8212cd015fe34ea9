using System.Data.Common;

namespace Lakehouse.Core.Tables.Catalog;

/// <summary>Connections, commands and the JDBC catalog tables (created on first use) of one SQLite or PostgreSQL database.</summary>
internal sealed class SqlCatalogDatabase(Func<DbConnection> connect, bool isSqlite)
{
    private readonly SemaphoreSlim _schemaLock = new(1, 1);
    private bool _schemaReady;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        return await ConnectAsync(cancellationToken);
    }

    private async Task<DbConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var connection = connect();
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters) =>
        Command(connection, null, sql, parameters);

    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@" + name;
            p.Value = value ?? DBNull.Value;
            if (value is null) p.DbType = System.Data.DbType.String;
            command.Parameters.Add(p);
        }
        return command;
    }

    public static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<List<string>> StringsAsync(DbConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<string>();
        while (await reader.ReadAsync(cancellationToken)) result.Add(reader.GetString(0));
        return result;
    }

    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (_schemaReady) return;
        await _schemaLock.WaitAsync(cancellationToken);
        try
        {
            if (_schemaReady) return;
            await using var connection = await ConnectAsync(cancellationToken);
            if (isSqlite) await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL", cancellationToken);
            const string ddl = """
                CREATE TABLE IF NOT EXISTS iceberg_tables (
                    catalog_name VARCHAR(255) NOT NULL,
                    table_namespace VARCHAR(255) NOT NULL,
                    table_name VARCHAR(255) NOT NULL,
                    metadata_location VARCHAR(1000),
                    previous_metadata_location VARCHAR(1000),
                    iceberg_type VARCHAR(5),
                    PRIMARY KEY (catalog_name, table_namespace, table_name));
                CREATE TABLE IF NOT EXISTS iceberg_namespace_properties (
                    catalog_name VARCHAR(255) NOT NULL,
                    namespace VARCHAR(255) NOT NULL,
                    property_key VARCHAR(255) NOT NULL,
                    property_value VARCHAR(1000),
                    PRIMARY KEY (catalog_name, namespace, property_key));
                """;
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await ExecuteAsync(connection, null, ddl, cancellationToken);
                    break;
                }
                catch (DbException) when (attempt < 3)
                {
                    // Two processes creating the tables at once can collide in PostgreSQL's catalog; the second try sees them.
                    await Task.Delay(50 * attempt, cancellationToken);
                }
            }
            _schemaReady = true;
        }
        finally
        {
            _schemaLock.Release();
        }
    }
}
