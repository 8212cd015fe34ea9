namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>One schema version of a table.</summary>
internal sealed record IcebergSchema(int SchemaId, IReadOnlyList<TableField> Fields)
{
    public TableSchema ToTableSchema() => new(Fields, SchemaId);
}
