namespace TmLakehouse.Assets.Gold;

/// <summary>How one round's figures become a row of each per-round Gold table (columns as in <see cref="GoldTables"/>).</summary>
internal static class GoldRoundRows
{
    public static void FactRound(GoldBatchBuilder row, string courseId, RoundFigures f)
    {
        row.Set("course_id", courseId);
        row.Set("round_id", f.RoundId);
        row.SetTimestampMicros("round_start_ts", f.RoundStartMicros);
        row.SetTimestampMicros("round_end_ts", f.RoundEndMicros);
        row.Set("duration_sec", f.DurationSec);
        row.Set("fix_count", f.FixCount);
        row.Set("ts_missing_fix_count", f.TsMissingFixCount);
        row.Set("holes_played", f.HolesPlayed);
        row.Set("nines_played", f.NinesPlayed);
        row.Set("start_hole", f.StartHole);
        row.Set("is_nine_hole", f.IsNineHole);
        row.Set("is_complete", f.IsComplete);
        row.Set("avg_pace_sec", f.AvgPaceSec);
        row.Set("max_pace_sec", f.MaxPaceSec);
        row.Set("avg_pace_gap_sec", f.AvgPaceGapSec);
        row.Set("avg_positional_gap", f.AvgPositionalGap);
        row.Set("projected_fix_count", f.ProjectedFixCount);
        row.Set("problem_fix_count", f.ProblemFixCount);
        row.Set("cached_fix_count", f.CachedFixCount);
        row.Set("min_battery", f.MinBattery);
        row.Set("avg_battery", f.AvgBattery);
        row.Set("low_battery_fix_count", f.LowBatteryFixCount);
        row.Set("critical_battery_fix_count", f.CriticalBatteryFixCount);
        row.Set("projected_rate", f.ProjectedRate);
        row.Set("problem_rate", f.ProblemRate);
        row.Set("cached_rate", f.CachedRate);
        row.Set("round_length", f.RoundLength);
    }

    public static void PaceSummary(GoldBatchBuilder row, string courseId, RoundFigures f)
    {
        row.Set("course_id", courseId);
        row.Set("round_id", f.RoundId);
        row.SetTimestampMicros("round_start_ts", f.RoundStartMicros);
        row.SetTimestampMicros("round_end_ts", f.RoundEndMicros);
        row.Set("fix_count", f.FixCount);
        row.Set("avg_pace", f.AvgPaceSec);
        row.Set("avg_pace_gap", f.AvgPaceGapSec);
        row.Set("avg_positional_gap", f.AvgPositionalGap);
    }

    public static void SignalQuality(GoldBatchBuilder row, string courseId, RoundFigures f)
    {
        row.Set("course_id", courseId);
        row.Set("round_id", f.RoundId);
        row.Set("fix_count", f.FixCount);
        row.Set("projected_fix_count", f.ProjectedFixCount);
        row.Set("problem_fix_count", f.ProblemFixCount);
        row.Set("projected_rate", f.ProjectedRate);
        row.Set("problem_rate", f.ProblemRate);
    }
}
