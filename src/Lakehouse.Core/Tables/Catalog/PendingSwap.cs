namespace Lakehouse.Core.Tables.Catalog;

/// <summary>One table's move in a catalog commit: from its base metadata location (null for a new table) to a written next one.</summary>
internal sealed record PendingSwap(TableIdentifier Id, string TableKey, string? BaseLocation, string NextLocation);
