using System.Data.Common;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Tables.Iceberg;

namespace Lakehouse.Core.Tables.Catalog;

/// <summary>
/// The JDBC catalog layout (iceberg_tables, iceberg_namespace_properties) over ADO.NET, shared by SQLite and PostgreSQL.
/// A commit swaps metadata_location only if it still holds the location the commit started from; the REST catalog server
/// commits through the same swap, so its commits and tmlake's never lose each other.
/// </summary>
internal sealed class SqlTableCatalog : ITableCatalog, ITableCatalogAdmin, ITableOperations
{
    public const string DefaultName = "tmlake";
    private const string ExistsKey = "exists";
    private const int MetadataLogMax = 100;

    private readonly SqlCatalogDatabase _db;
    private readonly IObjectStoreProvider _objects;

    public SqlTableCatalog(Func<DbConnection> connect, IObjectStoreProvider objects, TimeProvider clock, bool isSqlite, string name = DefaultName)
    {
        _db = new SqlCatalogDatabase(connect, isSqlite);
        _objects = objects;
        Clock = clock;
        Name = name;
    }

    public string Name { get; }
    public TimeProvider Clock { get; }

    public IObjectStore StoreOf(TableIdentifier id) => _objects.For(id.Namespace);

    public LocalStaging Staging => _objects.Staging;

    public async Task<ILakeTable> CreateOrLoadAsync(TableDefinition definition, CancellationToken cancellationToken)
    {
        var id = definition.Id;
        ValidateName(id);
        var table = await LoadTableAsync(id, cancellationToken);
        if (table is null)
        {
            var store = StoreOf(id);
            var metadata = TableMetadata.Create(definition, store.LocationOf(id.Name), Clock.GetUtcNow().ToUnixTimeMilliseconds());
            await EnsureNamespaceRowAsync(id.Namespace, cancellationToken);
            if (await CreateAsync(id, id.Name, MetadataJson.Write(metadata), cancellationToken) is { } location)
                return new IcebergTable(this, id, metadata, location);
            // Another process created it first: use theirs.
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
        await using var connection = await _db.OpenAsync(cancellationToken);
        await using var command = SqlCatalogDatabase.Command(connection,
            "SELECT table_namespace, table_name FROM iceberg_tables WHERE catalog_name = @c AND (@n IS NULL OR table_namespace = @n) ORDER BY table_namespace, table_name",
            ("c", Name), ("n", ns));
        var result = new List<TableIdentifier>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) result.Add(new TableIdentifier(reader.GetString(0), reader.GetString(1)));
        return result;
    }

    public async Task<(string Location, TableMetadata Metadata)?> ReadCurrentAsync(TableIdentifier id, CancellationToken cancellationToken)
    {
        var location = await ReadLocationAsync(id, cancellationToken);
        if (location is null) return null;
        var store = StoreOf(id);
        return (location, MetadataJson.Read(await MetadataFiles.ReadBytesAsync(store, MetadataFiles.KeyOfLocation(store, location), cancellationToken), location));
    }

    /// <summary>The metadata location the catalog points at, or null when there is no such table.</summary>
    internal async Task<string?> ReadLocationAsync(TableIdentifier id, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        await using var command = SqlCatalogDatabase.Command(connection,
            "SELECT metadata_location FROM iceberg_tables WHERE catalog_name = @c AND table_namespace = @n AND table_name = @t",
            ("c", Name), ("n", id.Namespace), ("t", id.Name));
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task<(string Location, TableMetadata Metadata)?> CommitAsync(
        TableIdentifier id, string baseLocation, TableMetadata @base, TableMetadata next, CancellationToken cancellationToken)
    {
        next = next with
        {
            LastUpdatedMs = Math.Max(Clock.GetUtcNow().ToUnixTimeMilliseconds(), next.LastUpdatedMs),
            MetadataLog = @base.MetadataLog.Append(new MetadataLogEntry(@base.LastUpdatedMs, baseLocation)).TakeLast(MetadataLogMax).ToList(),
        };
        var store = StoreOf(id);
        var baseJson = await MetadataFiles.ReadBytesAsync(store, MetadataFiles.KeyOfLocation(store, baseLocation), cancellationToken);
        var json = MetadataCarryOver.Merge(baseJson, MetadataJson.Write(next));
        var pending = await WriteNextAsync(id, MetadataFiles.TableKeyOf(store, next.Location), baseLocation, json, cancellationToken);
        return await SwapAllAsync([pending], cancellationToken) ? (pending.NextLocation, next) : null;
    }

    /// <summary>Writes the next metadata file of a table (the version after <paramref name="baseLocation"/>; 0 for a new table).</summary>
    internal async Task<PendingSwap> WriteNextAsync(TableIdentifier id, string tableKey, string? baseLocation, byte[] metadataJson, CancellationToken cancellationToken)
    {
        var version = baseLocation is null ? 0 : MetadataFiles.VersionOf(baseLocation) + 1;
        var location = await MetadataFiles.WriteBytesAsync(StoreOf(id), tableKey, version, metadataJson, cancellationToken);
        return new PendingSwap(id, tableKey, baseLocation, location);
    }

    /// <summary>
    /// Moves every table of the list from its base location to its next one (inserting those without a base) in one database
    /// transaction: all move or none. On failure the written metadata files are deleted and false returned.
    /// </summary>
    internal async Task<bool> SwapAllAsync(IReadOnlyList<PendingSwap> swaps, CancellationToken cancellationToken)
    {
        var moved = false;
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            foreach (var swap in swaps)
            {
                var rows = swap.BaseLocation is null
                    ? await SqlCatalogDatabase.ExecuteAsync(connection, transaction,
                        "INSERT INTO iceberg_tables (catalog_name, table_namespace, table_name, metadata_location, previous_metadata_location, iceberg_type) VALUES (@c, @n, @t, @m, NULL, 'TABLE') ON CONFLICT DO NOTHING",
                        cancellationToken, ("c", Name), ("n", swap.Id.Namespace), ("t", swap.Id.Name), ("m", swap.NextLocation))
                    : await SqlCatalogDatabase.ExecuteAsync(connection, transaction,
                        "UPDATE iceberg_tables SET metadata_location = @next, previous_metadata_location = @old WHERE catalog_name = @c AND table_namespace = @n AND table_name = @t AND metadata_location = @old",
                        cancellationToken, ("next", swap.NextLocation), ("old", swap.BaseLocation), ("c", Name), ("n", swap.Id.Namespace), ("t", swap.Id.Name));
                if (rows != 1) return false;
            }
            await transaction.CommitAsync(cancellationToken);
            moved = true;
        }
        finally
        {
            if (!moved)
                foreach (var swap in swaps)
                    await DeleteQuietlyAsync(StoreOf(swap.Id), MetadataFiles.KeyOfLocation(StoreOf(swap.Id), swap.NextLocation));
        }
        foreach (var swap in swaps) await WriteVersionHintAsync(swap, cancellationToken);
        return true;
    }

    /// <summary>Creates a table from its first metadata file; null when the name is taken (the written file is removed).</summary>
    internal async Task<string?> CreateAsync(TableIdentifier id, string tableKey, byte[] metadataJson, CancellationToken cancellationToken)
    {
        var pending = await WriteNextAsync(id, tableKey, null, metadataJson, cancellationToken);
        return await SwapAllAsync([pending], cancellationToken) ? pending.NextLocation : null;
    }

    private async Task WriteVersionHintAsync(PendingSwap swap, CancellationToken cancellationToken)
    {
        // A slower writer may overwrite a newer hint; re-check the catalog once so the hint ends on the latest version seen.
        var store = StoreOf(swap.Id);
        var version = MetadataFiles.VersionOf(swap.NextLocation);
        await MetadataFiles.WriteVersionHintAsync(store, swap.TableKey, version, cancellationToken);
        var latest = await ReadLocationAsync(swap.Id, cancellationToken);
        if (latest is not null && MetadataFiles.VersionOf(latest) is var v && v > version)
            await MetadataFiles.WriteVersionHintAsync(store, swap.TableKey, v, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ListNamespacesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await SqlCatalogDatabase.StringsAsync(connection,
            "SELECT namespace FROM iceberg_namespace_properties WHERE catalog_name = @c UNION SELECT table_namespace FROM iceberg_tables WHERE catalog_name = @c ORDER BY 1",
            cancellationToken, ("c", Name));
    }

    public async Task CreateNamespaceAsync(string ns, IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken)
    {
        ValidateNamespace(ns);
        if (properties.ContainsKey(ExistsKey)) throw ReservedKey();
        if (await LoadNamespaceAsync(ns, cancellationToken) is not null) throw new CatalogException(CatalogErrorKind.AlreadyExists, $"Namespace already exists: {ns}");
        await using var connection = await _db.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = await SqlCatalogDatabase.ExecuteAsync(connection, transaction,
            "INSERT INTO iceberg_namespace_properties (catalog_name, namespace, property_key, property_value) VALUES (@c, @n, @k, 'true') ON CONFLICT DO NOTHING",
            cancellationToken, ("c", Name), ("n", ns), ("k", ExistsKey));
        if (inserted != 1) throw new CatalogException(CatalogErrorKind.AlreadyExists, $"Namespace already exists: {ns}");
        foreach (var (key, value) in properties) await UpsertPropertyAsync(connection, transaction, ns, key, value, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, string>?> LoadNamespaceAsync(string ns, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        var found = false;
        await using (var command = SqlCatalogDatabase.Command(connection,
                         "SELECT property_key, property_value FROM iceberg_namespace_properties WHERE catalog_name = @c AND namespace = @n", ("c", Name), ("n", ns)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                found = true;
                if (reader.GetString(0) != ExistsKey) properties[reader.GetString(0)] = reader.IsDBNull(1) ? "" : reader.GetString(1);
            }
        }
        if (found) return properties;
        var tables = await SqlCatalogDatabase.StringsAsync(connection,
            "SELECT table_name FROM iceberg_tables WHERE catalog_name = @c AND table_namespace = @n", cancellationToken, ("c", Name), ("n", ns));
        return tables.Count > 0 ? properties : null;
    }

    public async Task<NamespacePropertiesChange> UpdateNamespacePropertiesAsync(
        string ns, IReadOnlyDictionary<string, string> updates, IReadOnlyCollection<string> removals, CancellationToken cancellationToken)
    {
        if (updates.ContainsKey(ExistsKey) || removals.Contains(ExistsKey)) throw ReservedKey();
        var both = removals.Where(updates.ContainsKey).ToList();
        if (both.Count > 0) throw new CatalogException(CatalogErrorKind.BadRequest, $"Property key(s) both set and removed: {string.Join(", ", both)}");
        if (await LoadNamespaceAsync(ns, cancellationToken) is null) throw CatalogException.NoSuchNamespace(ns);
        await using var connection = await _db.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await SqlCatalogDatabase.ExecuteAsync(connection, transaction,
            "INSERT INTO iceberg_namespace_properties (catalog_name, namespace, property_key, property_value) VALUES (@c, @n, @k, 'true') ON CONFLICT DO NOTHING",
            cancellationToken, ("c", Name), ("n", ns), ("k", ExistsKey));
        var removed = new List<string>();
        foreach (var key in removals)
        {
            var rows = await SqlCatalogDatabase.ExecuteAsync(connection, transaction,
                "DELETE FROM iceberg_namespace_properties WHERE catalog_name = @c AND namespace = @n AND property_key = @k",
                cancellationToken, ("c", Name), ("n", ns), ("k", key));
            if (rows > 0) removed.Add(key);
        }
        foreach (var (key, value) in updates) await UpsertPropertyAsync(connection, transaction, ns, key, value, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new NamespacePropertiesChange(updates.Keys.ToList(), removed, removals.Except(removed).ToList());
    }

    public async Task DropNamespaceAsync(string ns, CancellationToken cancellationToken)
    {
        if (await LoadNamespaceAsync(ns, cancellationToken) is null) throw CatalogException.NoSuchNamespace(ns);
        if ((await ListTablesAsync(ns, cancellationToken)).Count > 0)
            throw new CatalogException(CatalogErrorKind.NamespaceNotEmpty, $"Namespace {ns} is not empty: drop its tables first.");
        await using var connection = await _db.OpenAsync(cancellationToken);
        await SqlCatalogDatabase.ExecuteAsync(connection, null,
            "DELETE FROM iceberg_namespace_properties WHERE catalog_name = @c AND namespace = @n", cancellationToken, ("c", Name), ("n", ns));
    }

    public async Task DropTableAsync(TableIdentifier id, bool purge, CancellationToken cancellationToken)
    {
        var current = purge ? await ReadCurrentAsync(id, cancellationToken) : null;
        await using (var connection = await _db.OpenAsync(cancellationToken))
        {
            var rows = await SqlCatalogDatabase.ExecuteAsync(connection, null,
                "DELETE FROM iceberg_tables WHERE catalog_name = @c AND table_namespace = @n AND table_name = @t",
                cancellationToken, ("c", Name), ("n", id.Namespace), ("t", id.Name));
            if (rows == 0) throw CatalogException.NoSuchTable(id);
        }
        if (current is { } dropped)
        {
            var store = StoreOf(id);
            var prefix = MetadataFiles.TableKeyOf(store, dropped.Metadata.Location) + "/";
            await foreach (var item in store.ListAsync(prefix, cancellationToken)) await store.DeleteAsync(item.Key, cancellationToken);
        }
    }

    public async Task RenameTableAsync(TableIdentifier from, TableIdentifier to, CancellationToken cancellationToken)
    {
        ValidateName(to);
        if (await ReadLocationAsync(from, cancellationToken) is null) throw CatalogException.NoSuchTable(from);
        if (await LoadNamespaceAsync(to.Namespace, cancellationToken) is null) throw CatalogException.NoSuchNamespace(to.Namespace);
        if (StoreOf(from).Bucket != StoreOf(to).Bucket)
            throw new CatalogException(CatalogErrorKind.Unsupported,
                $"Cannot rename {from} to {to}: namespace {to.Namespace} keeps its files in bucket {StoreOf(to).Bucket}, not {StoreOf(from).Bucket}.");
        await using var connection = await _db.OpenAsync(cancellationToken);
        int rows;
        try
        {
            rows = await SqlCatalogDatabase.ExecuteAsync(connection, null,
                "UPDATE iceberg_tables SET table_namespace = @nn, table_name = @nt WHERE catalog_name = @c AND table_namespace = @n AND table_name = @t",
                cancellationToken, ("nn", to.Namespace), ("nt", to.Name), ("c", Name), ("n", from.Namespace), ("t", from.Name));
        }
        catch (DbException e)
        {
            throw new CatalogException(CatalogErrorKind.AlreadyExists, $"Table already exists: {to}", e);
        }
        if (rows == 0) throw CatalogException.NoSuchTable(from);
    }

    public async Task<ILakeTable> RegisterTableAsync(TableIdentifier id, string metadataLocation, CancellationToken cancellationToken)
    {
        ValidateName(id);
        if (await LoadNamespaceAsync(id.Namespace, cancellationToken) is null) throw CatalogException.NoSuchNamespace(id.Namespace);
        var store = StoreOf(id);
        TableMetadata metadata;
        try
        {
            metadata = MetadataJson.Read(await MetadataFiles.ReadBytesAsync(store, MetadataFiles.KeyOfLocation(store, metadataLocation), cancellationToken), metadataLocation);
        }
        catch (Exception e) when (e is InvalidDataException or ObjectNotFoundException)
        {
            throw new CatalogException(CatalogErrorKind.BadRequest, $"Cannot register {id}: {e.Message}", e);
        }
        await using var connection = await _db.OpenAsync(cancellationToken);
        var rows = await SqlCatalogDatabase.ExecuteAsync(connection, null,
            "INSERT INTO iceberg_tables (catalog_name, table_namespace, table_name, metadata_location, previous_metadata_location, iceberg_type) VALUES (@c, @n, @t, @m, NULL, 'TABLE') ON CONFLICT DO NOTHING",
            cancellationToken, ("c", Name), ("n", id.Namespace), ("t", id.Name), ("m", metadataLocation));
        if (rows != 1) throw new CatalogException(CatalogErrorKind.AlreadyExists, $"Table already exists: {id}");
        return new IcebergTable(this, id, metadata, metadataLocation);
    }

    private async Task EnsureNamespaceRowAsync(string ns, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        await SqlCatalogDatabase.ExecuteAsync(connection, null,
            "INSERT INTO iceberg_namespace_properties (catalog_name, namespace, property_key, property_value) VALUES (@c, @n, @k, 'true') ON CONFLICT DO NOTHING",
            cancellationToken, ("c", Name), ("n", ns), ("k", ExistsKey));
    }

    private Task<int> UpsertPropertyAsync(DbConnection connection, DbTransaction transaction, string ns, string key, string value, CancellationToken cancellationToken) =>
        SqlCatalogDatabase.ExecuteAsync(connection, transaction,
            "INSERT INTO iceberg_namespace_properties (catalog_name, namespace, property_key, property_value) VALUES (@c, @n, @k, @v) " +
            "ON CONFLICT (catalog_name, namespace, property_key) DO UPDATE SET property_value = excluded.property_value",
            cancellationToken, ("c", Name), ("n", ns), ("k", key), ("v", value));

    private static CatalogException ReservedKey() =>
        new(CatalogErrorKind.BadRequest, $"The namespace property '{ExistsKey}' is kept by the catalog itself (JDBC layout) and cannot be set or removed.");

    private static async Task DeleteQuietlyAsync(IObjectStore store, string key)
    {
        try
        {
            await store.DeleteAsync(key, CancellationToken.None);
        }
        catch (IOException)
        {
            // Left behind for orphan-file removal.
        }
    }

    private static void ValidateName(TableIdentifier id)
    {
        ValidateNamespace(id.Namespace);
        if (!IsName(id.Name)) throw new CatalogException(CatalogErrorKind.BadRequest, $"Table name {id} must use letters, digits, '_' and '-' only.");
    }

    private static void ValidateNamespace(string ns)
    {
        if (!IsName(ns)) throw new CatalogException(CatalogErrorKind.BadRequest, $"Namespace '{ns}' must be one level of letters, digits, '_' and '-'.");
    }

    private static bool IsName(string part) => !string.IsNullOrWhiteSpace(part) && part.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
