namespace Lakehouse.Core.Tables;

/// <summary>One column: a stable field id (Iceberg's), a name, a type and whether it is required.</summary>
public sealed record TableField(int Id, string Name, TableType Type, bool Required = false, string? Doc = null);
