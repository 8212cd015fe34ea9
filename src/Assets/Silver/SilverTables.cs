using Lakehouse.Core.Tables;
using static Lakehouse.Core.Tables.TableType;

namespace TmLakehouse.Assets.Silver;

/// <summary>The Silver tables of DATA_CONTRACT.md §3. Field ids are positions: append new columns at the end only.</summary>
public static class SilverTables
{
    public static TableDefinition TelemetryEvent { get; } = new(
        new TableIdentifier("silver", "fact_telemetry_event"),
        TableSchemas.Sequential(
            ("round_id", String, true),
            ("course_id", String, true),
            ("ingest_date", Date, true),
            ("location_index", Int, true),
            ("fix_timestamp", TimestampTz, false),
            ("event_date", Date, false),
            ("event_year", Int, false),
            ("event_month", Int, false),
            ("hole_number", Int, false),
            ("hole_section", Int, false),
            ("section_number", Int, false),
            ("nine_number", Int, false),
            ("longitude", Double, false),
            ("latitude", Double, false),
            ("geometry", Binary, false),
            ("pace", Double, false),
            ("pace_gap", Double, false),
            ("positional_gap", Double, false),
            ("battery_percentage", Double, false),
            ("is_projected", Boolean, false),
            ("is_problem", Boolean, false),
            ("is_cache", Boolean, false),
            ("held_up", Boolean, false),
            ("holding_up", Boolean, false),
            ("is_timestamp_missing", Boolean, true),
            ("round_start_time", TimestampTz, false),
            ("round_end_time", TimestampTz, false),
            ("start_hole", Int, false),
            ("start_section", Int, false),
            ("end_section", Int, false),
            ("is_nine_hole", Boolean, false),
            ("current_nine", Int, false),
            ("goal_time", Double, false),
            ("goal_name", String, false),
            ("goal_time_fraction", Double, false),
            ("is_complete", Boolean, false),
            ("is_incomplete", Boolean, false),
            ("is_secondary", Boolean, false),
            ("is_auto_assigned", Boolean, false),
            ("device", String, false)),
        [new("course_id", PartitionTransform.Identity, "course_id"), new("event_date", PartitionTransform.Identity, "event_date")]);

    public static TableDefinition DeviceHealth { get; } = new(
        new TableIdentifier("silver", "fact_device_health"),
        TableSchemas.Sequential(
            ("round_id", String, true),
            ("course_id", String, true),
            ("ingest_date", Date, true),
            ("device", String, false),
            ("log_json", String, true),
            ("entry_count", Int, true)),
        [new("course_id", PartitionTransform.Identity, "course_id"), new("ingest_date", PartitionTransform.Identity, "ingest_date")]);
}
