namespace Lakehouse.Core.Tables;

/// <summary>An ordered list of fields with unique ids and names.</summary>
public sealed record TableSchema(IReadOnlyList<TableField> Fields, int SchemaId = 0)
{
    public TableField this[string name] => Fields.FirstOrDefault(f => f.Name == name)
        ?? throw new KeyNotFoundException($"No column '{name}' in the schema.");

    public int HighestFieldId => Fields.Count == 0 ? 0 : Fields.Max(f => f.Id);
}

/// <summary>Builds schemas with field ids 1, 2, 3 ... in declaration order (ids must then never change: add new columns at the end).</summary>
public static class TableSchemas
{
    public static TableSchema Sequential(params (string Name, TableType Type, bool Required)[] columns) =>
        new(columns.Select((c, i) => new TableField(i + 1, c.Name, c.Type, c.Required)).ToList());
}
