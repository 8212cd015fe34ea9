namespace Lakehouse.Core.Tables;

/// <summary>
/// The catalog beyond the assets' narrow <see cref="ITableCatalog"/>: namespaces and their properties, and dropping, renaming
/// and registering tables — what the Iceberg REST catalog protocol exposes. Refusals are <see cref="CatalogException"/>s.
/// </summary>
public interface ITableCatalogAdmin
{
    /// <summary>Every namespace: those created explicitly and those that hold tables.</summary>
    Task<IReadOnlyList<string>> ListNamespacesAsync(CancellationToken cancellationToken);

    /// <summary>Throws <see cref="CatalogErrorKind.AlreadyExists"/> when the namespace exists.</summary>
    Task CreateNamespaceAsync(string ns, IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken);

    /// <summary>The namespace's properties, or null when it does not exist.</summary>
    Task<IReadOnlyDictionary<string, string>?> LoadNamespaceAsync(string ns, CancellationToken cancellationToken);

    Task<NamespacePropertiesChange> UpdateNamespacePropertiesAsync(
        string ns, IReadOnlyDictionary<string, string> updates, IReadOnlyCollection<string> removals, CancellationToken cancellationToken);

    /// <summary>Drops an empty namespace; one that holds tables is <see cref="CatalogErrorKind.NamespaceNotEmpty"/>.</summary>
    Task DropNamespaceAsync(string ns, CancellationToken cancellationToken);

    /// <summary>Removes the table from the catalog; with <paramref name="purge"/> also deletes every file under its location.</summary>
    Task DropTableAsync(TableIdentifier id, bool purge, CancellationToken cancellationToken);

    Task RenameTableAsync(TableIdentifier from, TableIdentifier to, CancellationToken cancellationToken);

    /// <summary>Adds an existing table (its metadata file) to the catalog under a name.</summary>
    Task<ILakeTable> RegisterTableAsync(TableIdentifier id, string metadataLocation, CancellationToken cancellationToken);
}
