using Lakehouse.Core.Tables;
using T = Lakehouse.Core.Tables.TableType;

namespace TmLakehouse.Assets.Silver;

/// <summary>The Silver tables of DATA_CONTRACT.md §3. Field ids are positions: append new columns at the end only.</summary>
public static class SilverTables
{
    public static TableDefinition TelemetryEvent { get; } = new(
        new TableIdentifier("silver", "fact_telemetry_event"),
        TableSchemas.Sequential(
            ("round_id", T.String, true),
            ("course_id", T.String, true),
            ("ingest_date", T.Date, true),
            ("location_index", T.Int, true),
            ("fix_timestamp", T.TimestampTz, false),
            ("event_date", T.Date, false),
            ("event_year", T.Int, false),
            ("event_month", T.Int, false),
            ("hole_number", T.Int, false),
            ("hole_section", T.Int, false),
            ("section_number", T.Int, false),
            ("nine_number", T.Int, false),
            ("longitude", T.Double, false),
            ("latitude", T.Double, false),
            ("geometry", T.Binary, false),
            ("pace", T.Double, false),
            ("pace_gap", T.Double, false),
            ("positional_gap", T.Double, false),
            ("battery_percentage", T.Double, false),
            ("is_projected", T.Boolean, false),
            ("is_problem", T.Boolean, false),
            ("is_cache", T.Boolean, false),
            ("held_up", T.Boolean, false),
            ("holding_up", T.Boolean, false),
            ("is_timestamp_missing", T.Boolean, true),
            ("round_start_time", T.TimestampTz, false),
            ("round_end_time", T.TimestampTz, false),
            ("start_hole", T.Int, false),
            ("start_section", T.Int, false),
            ("end_section", T.Int, false),
            ("is_nine_hole", T.Boolean, false),
            ("current_nine", T.Int, false),
            ("goal_time", T.Double, false),
            ("goal_name", T.String, false),
            ("goal_time_fraction", T.Double, false),
            ("is_complete", T.Boolean, false),
            ("is_incomplete", T.Boolean, false),
            ("is_secondary", T.Boolean, false),
            ("is_auto_assigned", T.Boolean, false),
            ("device", T.String, false)),
        [new("course_id", PartitionTransform.Identity, "course_id"), new("event_date", PartitionTransform.Identity, "event_date")])
    {
        // The fix as a WKB point in lon/lat: the files are GeoParquet, so GIS tools read the column as geometry.
        GeometryColumn = "geometry",
    };

    public static TableDefinition DeviceHealth { get; } = new(
        new TableIdentifier("silver", "fact_device_health"),
        TableSchemas.Sequential(
            ("round_id", T.String, true),
            ("course_id", T.String, true),
            ("ingest_date", T.Date, true),
            ("device", T.String, false),
            ("log_json", T.String, true),
            ("entry_count", T.Int, true)),
        [new("course_id", PartitionTransform.Identity, "course_id"), new("ingest_date", PartitionTransform.Identity, "ingest_date")]);
}
