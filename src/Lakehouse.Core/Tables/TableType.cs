namespace Lakehouse.Core.Tables;

/// <summary>The column types our tables use (a subset of Iceberg's primitives).</summary>
public enum TableType { Boolean, Int, Long, Double, String, Date, TimestampTz, Binary }
