namespace Lakehouse.Core.Instance;

/// <summary>The extent of a ledger object's features, in its <see cref="LedgerEntry.Crs"/>.</summary>
public readonly record struct LedgerBoundingBox(double MinX, double MinY, double MaxX, double MaxY);
