using Lakehouse.Core.Tables;
using T = Lakehouse.Core.Tables.TableType;

namespace TmLakehouse.Assets.Gold;

/// <summary>The Gold tables of DATA_CONTRACT.md §4, partitioned by course. Field ids are positions: append new columns only.</summary>
public static class GoldTables
{
    private static IReadOnlyList<TablePartitionField> ByCourse { get; } = [new("course_id", PartitionTransform.Identity, "course_id")];

    public static TableDefinition FactRounds { get; } = new(
        new TableIdentifier("gold", "fact_rounds"),
        TableSchemas.Sequential(
            ("course_id", T.String, true),
            ("round_id", T.String, true),
            ("round_start_ts", T.TimestampTz, false),
            ("round_end_ts", T.TimestampTz, false),
            ("duration_sec", T.Double, false),
            ("fix_count", T.Long, true),
            ("ts_missing_fix_count", T.Long, true),
            ("holes_played", T.Int, true),
            ("nines_played", T.Int, true),
            ("start_hole", T.Int, false),
            ("is_nine_hole", T.Boolean, false),
            ("is_complete", T.Boolean, false),
            ("avg_pace_sec", T.Double, false),
            ("max_pace_sec", T.Double, false),
            ("avg_pace_gap_sec", T.Double, false),
            ("avg_positional_gap", T.Double, false),
            ("projected_fix_count", T.Long, true),
            ("problem_fix_count", T.Long, true),
            ("cached_fix_count", T.Long, true),
            ("min_battery", T.Double, false),
            ("avg_battery", T.Double, false),
            ("low_battery_fix_count", T.Long, true),
            ("critical_battery_fix_count", T.Long, true),
            ("projected_rate", T.Double, false),
            ("problem_rate", T.Double, false),
            ("cached_rate", T.Double, false),
            ("round_length", T.String, true)),
        ByCourse);

    public static TableDefinition PaceSummaryByRound { get; } = new(
        new TableIdentifier("gold", "pace_summary_by_round"),
        TableSchemas.Sequential(
            ("course_id", T.String, true),
            ("round_id", T.String, true),
            ("round_start_ts", T.TimestampTz, false),
            ("round_end_ts", T.TimestampTz, false),
            ("fix_count", T.Long, true),
            ("avg_pace", T.Double, false),
            ("avg_pace_gap", T.Double, false),
            ("avg_positional_gap", T.Double, false)),
        ByCourse);

    public static TableDefinition SignalQualityRounds { get; } = new(
        new TableIdentifier("gold", "signal_quality_rounds"),
        TableSchemas.Sequential(
            ("course_id", T.String, true),
            ("round_id", T.String, true),
            ("fix_count", T.Long, true),
            ("projected_fix_count", T.Long, true),
            ("problem_fix_count", T.Long, true),
            ("projected_rate", T.Double, false),
            ("problem_rate", T.Double, false)),
        ByCourse);

    public static TableDefinition DeviceHealthErrors { get; } = new(
        new TableIdentifier("gold", "device_health_errors"),
        TableSchemas.Sequential(
            ("course_id", T.String, true),
            ("round_id", T.String, true),
            ("fix_timestamp", T.TimestampTz, false),
            ("battery_percentage", T.Double, true),
            ("health_flag", T.String, true)),
        ByCourse);
}
