namespace Lakehouse.Core.Tables;

/// <summary>Everything needed to create a table: identifier, schema, partition spec.</summary>
public sealed record TableDefinition(TableIdentifier Id, TableSchema Schema, IReadOnlyList<TablePartitionField> PartitionSpec);
