using System.Text;
using Lakehouse.Core.Tables;
using T = Lakehouse.Core.Tables.TableType;

namespace TmLakehouse.Assets.Spatial.Output;

/// <summary>
/// The spatial tables of LANDING_AND_SPATIAL §4: Iceberg tables like the rest, <c>spatial/&lt;name&gt;</c>, one per dataset,
/// GeoParquet files (WKB in lon/lat), one partition per landing batch. Field ids are positions: append new columns at the end only.
/// </summary>
public static class SpatialTables
{
    public const string Namespace = "spatial";

    /// <summary>The dynamic partition definition holding every batch id a spatial table was written for.</summary>
    public const string BatchPartitions = "spatial_batches";

    /// <summary>The table of one vector dataset.</summary>
    public static TableDefinition Vector(string name) => new(
        new TableIdentifier(Namespace, NameOf(name)),
        TableSchemas.Sequential(
            ("batch_id", T.String, true),
            ("source_file", T.String, true),
            ("feature_index", T.Long, true),
            ("properties", T.String, true),
            ("geometry", T.Binary, true)),
        [new("batch_id", PartitionTransform.Identity, "batch_id")]) { GeometryColumn = "geometry" };

    /// <summary>
    /// spatial/course_sections (§4): one polygon per (course, hole, section), partitioned by course so a sections manifest
    /// replaces its course's polygons and nothing else.
    /// </summary>
    public static TableDefinition CourseSections { get; } = new(
        new TableIdentifier(Namespace, "course_sections"),
        TableSchemas.Sequential(
            ("course_id", T.String, true),
            ("hole_number", T.Int, true),
            ("section_number", T.Int, true),
            ("geometry", T.Binary, true),
            ("batch_id", T.String, true),
            ("source_file", T.String, true)),
        [new("course_id", PartitionTransform.Identity, "course_id")]) { GeometryColumn = "geometry" };

    /// <summary>A table name every catalog and SQL reader takes: lower case letters, digits and '_', not starting with a digit.</summary>
    public static string NameOf(string name)
    {
        var text = new StringBuilder(name.Length + 1);
        foreach (var c in name.ToLowerInvariant()) text.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' ? c : '_');
        if (text.Length == 0 || char.IsAsciiDigit(text[0])) text.Insert(0, 'd');
        return text.ToString();
    }
}
