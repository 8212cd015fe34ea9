namespace Lakehouse.Core.Tables;

/// <summary>Finds and creates tables. Creating an existing table loads it, adding any new optional columns (schema evolution).</summary>
public interface ITableCatalog
{
    Task<ILakeTable> CreateOrLoadAsync(TableDefinition definition, CancellationToken cancellationToken);

    /// <summary>Null when the table does not exist.</summary>
    Task<ILakeTable?> LoadAsync(TableIdentifier id, CancellationToken cancellationToken);

    Task<IReadOnlyList<TableIdentifier>> ListTablesAsync(string? ns, CancellationToken cancellationToken);
}
