using Lakehouse.Core.Tables;
using static Lakehouse.Core.Tables.TableType;

namespace TmLakehouse.Assets.Gold;

/// <summary>The Gold tables of DATA_CONTRACT.md §4, partitioned by course. Field ids are positions: append new columns only.</summary>
public static class GoldTables
{
    private static IReadOnlyList<TablePartitionField> ByCourse { get; } = [new("course_id", PartitionTransform.Identity, "course_id")];

    public static TableDefinition FactRounds { get; } = new(
        new TableIdentifier("gold", "fact_rounds"),
        TableSchemas.Sequential(
            ("course_id", String, true),
            ("round_id", String, true),
            ("round_start_ts", TimestampTz, false),
            ("round_end_ts", TimestampTz, false),
            ("duration_sec", Double, false),
            ("fix_count", Long, true),
            ("ts_missing_fix_count", Long, true),
            ("holes_played", Int, true),
            ("nines_played", Int, true),
            ("start_hole", Int, false),
            ("is_nine_hole", Boolean, false),
            ("is_complete", Boolean, false),
            ("avg_pace_sec", Double, false),
            ("max_pace_sec", Double, false),
            ("avg_pace_gap_sec", Double, false),
            ("avg_positional_gap", Double, false),
            ("projected_fix_count", Long, true),
            ("problem_fix_count", Long, true),
            ("cached_fix_count", Long, true),
            ("min_battery", Double, false),
            ("avg_battery", Double, false),
            ("low_battery_fix_count", Long, true),
            ("critical_battery_fix_count", Long, true),
            ("projected_rate", Double, false),
            ("problem_rate", Double, false),
            ("cached_rate", Double, false),
            ("round_length", String, true)),
        ByCourse);

    public static TableDefinition PaceSummaryByRound { get; } = new(
        new TableIdentifier("gold", "pace_summary_by_round"),
        TableSchemas.Sequential(
            ("course_id", String, true),
            ("round_id", String, true),
            ("round_start_ts", TimestampTz, false),
            ("round_end_ts", TimestampTz, false),
            ("fix_count", Long, true),
            ("avg_pace", Double, false),
            ("avg_pace_gap", Double, false),
            ("avg_positional_gap", Double, false)),
        ByCourse);

    public static TableDefinition SignalQualityRounds { get; } = new(
        new TableIdentifier("gold", "signal_quality_rounds"),
        TableSchemas.Sequential(
            ("course_id", String, true),
            ("round_id", String, true),
            ("fix_count", Long, true),
            ("projected_fix_count", Long, true),
            ("problem_fix_count", Long, true),
            ("projected_rate", Double, false),
            ("problem_rate", Double, false)),
        ByCourse);

    public static TableDefinition DeviceHealthErrors { get; } = new(
        new TableIdentifier("gold", "device_health_errors"),
        TableSchemas.Sequential(
            ("course_id", String, true),
            ("round_id", String, true),
            ("fix_timestamp", TimestampTz, false),
            ("battery_percentage", Double, true),
            ("health_flag", String, true)),
        ByCourse);
}
