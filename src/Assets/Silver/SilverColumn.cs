namespace TmLakehouse.Assets.Silver;

/// <summary>The positions of the fact_telemetry_event columns (SilverTables order), used to count nulls and malformed values per column.</summary>
internal static class SilverColumn
{
    public const int RoundId = 0, CourseId = 1, IngestDate = 2, LocationIndex = 3, FixTimestamp = 4, EventDate = 5, EventYear = 6,
        EventMonth = 7, HoleNumber = 8, HoleSection = 9, SectionNumber = 10, NineNumber = 11, Longitude = 12, Latitude = 13, Geometry = 14,
        Pace = 15, PaceGap = 16, PositionalGap = 17, Battery = 18, IsProjected = 19, IsProblem = 20, IsCache = 21, HeldUp = 22,
        HoldingUp = 23, IsTimestampMissing = 24, RoundStartTime = 25, RoundEndTime = 26, StartHole = 27, StartSection = 28,
        EndSection = 29, IsNineHole = 30, CurrentNine = 31, GoalTime = 32, GoalName = 33, GoalTimeFraction = 34, IsComplete = 35,
        IsIncomplete = 36, IsSecondary = 37, IsAutoAssigned = 38, Device = 39;

    public const int Count = 40;

    /// <summary>Not a telemetry column: fact_device_health.log_json, counted with the others.</summary>
    public const int LogJson = 40;

    public static string NameOf(int column) =>
        column == LogJson ? "log_json" : SilverTables.TelemetryEvent.Schema.Fields[column].Name;
}
