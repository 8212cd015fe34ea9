using Lakehouse.Core.Tables;
using T = Lakehouse.Core.Tables.TableType;

namespace TmLakehouse.Assets.Spatial.Output;

/// <summary>
/// The spatial tables of LANDING_AND_SPATIAL §4: Iceberg tables like the rest, GeoParquet files (WKB in lon/lat), one
/// partition per landing batch. Field ids are positions: append new columns at the end only.
/// </summary>
public static class SpatialTables
{
    public static TableDefinition Vector { get; } = new(
        new TableIdentifier("spatial", "vector"),
        TableSchemas.Sequential(
            ("batch_id", T.String, true),
            ("source_file", T.String, true),
            ("feature_index", T.Long, true),
            ("properties", T.String, true),
            ("geometry", T.Binary, true)),
        [new("batch_id", PartitionTransform.Identity, "batch_id")]) { GeometryColumn = "geometry" };
}
