using System.Data.Common;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Tables.Iceberg;

namespace Lakehouse.Core.Tables.Catalog;

/// <summary>
/// The JDBC catalog layout (iceberg_tables, iceberg_namespace_properties) over ADO.NET, shared by SQLite and PostgreSQL.
/// A commit swaps metadata_location only if it still holds the location the commit started from.
/// </summary>
internal sealed class SqlTableCatalog : ITableCatalog
{
    public const string DefaultName = "tmlake";

    private readonly Func<DbConnection> _connect;
    private readonly IObjectStoreProvider _objects;
    private readonly SemaphoreSlim _schemaLock = new(1, 1);
    private bool _schemaReady;

    public SqlTableCatalog(Func<DbConnection> connect, IObjectStoreProvider objects, TimeProvider clock, bool isSqlite, string name = DefaultName)
    {
        _connect = connect;
        _objects = objects;
        Clock = clock;
        IsSqlite = isSqlite;
        Name = name;
    }

    public string Name { get; }
    public TimeProvider Clock { get; }
    private bool IsSqlite { get; }

    public IObjectStore StoreOf(TableIdentifier id) => _objects.For(id.Namespace);

    public async Task<ILakeTable> CreateOrLoadAsync(TableDefinition definition, CancellationToken cancellationToken)
    {
        var id = definition.Id;
        ValidateName(id);
        await EnsureSchemaAsync(cancellationToken);
        var table = await LoadTableAsync(id, cancellationToken);
        if (table is null)
        {
            var store = StoreOf(id);
            var metadata = TableMetadata.Create(definition, store.LocationOf(id.Name), Clock.GetUtcNow().ToUnixTimeMilliseconds());
            var location = await MetadataFiles.WriteAsync(store, id.Name, 0, metadata, cancellationToken);
            await using var connection = await OpenAsync(cancellationToken);
            await ExecuteAsync(connection,
                "INSERT INTO iceberg_namespace_properties (catalog_name, namespace, property_key, property_value) VALUES (@c, @n, 'exists', 'true') ON CONFLICT DO NOTHING",
                cancellationToken, ("c", Name), ("n", id.Namespace));
            var inserted = await ExecuteAsync(connection,
                "INSERT INTO iceberg_tables (catalog_name, table_namespace, table_name, metadata_location, previous_metadata_location, iceberg_type) VALUES (@c, @n, @t, @m, NULL, 'TABLE') ON CONFLICT DO NOTHING",
                cancellationToken, ("c", Name), ("n", id.Namespace), ("t", id.Name), ("m", location));
            if (inserted == 1)
            {
                await MetadataFiles.WriteVersionHintAsync(store, id.Name, 0, cancellationToken);
                return new IcebergTable(this, id, metadata, location);
            }
            // Another process created it first: use theirs.
            await store.DeleteAsync(MetadataFiles.KeyOf(store, id.Name, location), cancellationToken);
            table = await LoadTableAsync(id, cancellationToken) ?? throw new InvalidOperationException($"Table {id} vanished while being created.");
        }
        await table.EvolveAsync(definition, cancellationToken);
        return table;
    }

    public async Task<ILakeTable?> LoadAsync(TableIdentifier id, CancellationToken cancellationToken) => await LoadTableAsync(id, cancellationToken);

    internal async Task<IcebergTable?> LoadTableAsync(TableIdentifier id, CancellationToken cancellationToken)
    {
        var current = await ReadCurrentAsync(id, cancellationToken);
        return current is null ? null : new IcebergTable(this, id, current.Value.Metadata, current.Value.Location);
    }

    public async Task<IReadOnlyList<TableIdentifier>> ListTablesAsync(string? ns, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "SELECT table_namespace, table_name FROM iceberg_tables WHERE catalog_name = @c AND (@n IS NULL OR table_namespace = @n) ORDER BY table_namespace, table_name",
            ("c", Name), ("n", ns));
        var result = new List<TableIdentifier>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) result.Add(new TableIdentifier(reader.GetString(0), reader.GetString(1)));
        return result;
    }

    /// <summary>The current metadata location and content, or null when the table does not exist.</summary>
    internal async Task<(string Location, TableMetadata Metadata)?> ReadCurrentAsync(TableIdentifier id, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        string? location;
        await using (var connection = await OpenAsync(cancellationToken))
        await using (var command = Command(connection,
                         "SELECT metadata_location FROM iceberg_tables WHERE catalog_name = @c AND table_namespace = @n AND table_name = @t",
                         ("c", Name), ("n", id.Namespace), ("t", id.Name)))
            location = await command.ExecuteScalarAsync(cancellationToken) as string;
        if (location is null) return null;
        return (location, await MetadataFiles.ReadAsync(StoreOf(id), id.Name, location, cancellationToken));
    }

    /// <summary>Compare-and-swap of the metadata location: true when exactly this commit moved the table forward.</summary>
    internal async Task<bool> SwapAsync(TableIdentifier id, string expected, string next, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var updated = await ExecuteAsync(connection,
            "UPDATE iceberg_tables SET metadata_location = @next, previous_metadata_location = @old WHERE catalog_name = @c AND table_namespace = @n AND table_name = @t AND metadata_location = @old",
            cancellationToken, ("next", next), ("old", expected), ("c", Name), ("n", id.Namespace), ("t", id.Name));
        return updated == 1;
    }

    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (_schemaReady) return;
        await _schemaLock.WaitAsync(cancellationToken);
        try
        {
            if (_schemaReady) return;
            await using var connection = await OpenAsync(cancellationToken);
            if (IsSqlite) await ExecuteAsync(connection, "PRAGMA journal_mode=WAL", cancellationToken);
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
                    await ExecuteAsync(connection, ddl, cancellationToken);
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

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = _connect();
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
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

    private static async Task<int> ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void ValidateName(TableIdentifier id)
    {
        foreach (var part in new[] { id.Namespace, id.Name })
            if (string.IsNullOrWhiteSpace(part) || !part.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
                throw new ArgumentException($"Table name {id} must use letters, digits, '_' and '-' only.");
    }
}
