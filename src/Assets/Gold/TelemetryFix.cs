namespace TmLakehouse.Assets.Gold;

/// <summary>The Silver columns of one fix that Gold aggregates into its round (a value type: one per row, never stored).</summary>
internal readonly record struct TelemetryFix(
    int? LocationIndex,
    long? TimestampMicros,
    int? HoleNumber,
    int? NineNumber,
    int? SectionNumber,
    int? StartHole,
    bool? IsNineHole,
    bool? IsComplete,
    double? Pace,
    double? PaceGap,
    double? PositionalGap,
    double? Battery,
    bool? IsProjected,
    bool? IsProblem,
    bool? IsCache);
