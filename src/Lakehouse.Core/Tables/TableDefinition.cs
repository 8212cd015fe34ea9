namespace Lakehouse.Core.Tables;

/// <summary>Everything needed to create a table: identifier, schema, partition spec.</summary>
public sealed record TableDefinition(TableIdentifier Id, TableSchema Schema, IReadOnlyList<TablePartitionField> PartitionSpec)
{
    /// <summary>
    /// The binary column holding WKB geometries in lon/lat, if any: then every data file is GeoParquet 1.1 (a <c>geo</c> footer
    /// key and a <c>bbox</c> covering column), so GeoPandas, QGIS, GDAL and DuckDB read it as geometry.
    /// </summary>
    public string? GeometryColumn { get; init; }
}
