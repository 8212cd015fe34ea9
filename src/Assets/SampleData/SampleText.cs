using System.Globalization;

namespace TmLakehouse.Assets.SampleData;

/// <summary>How exports spell values: invariant numbers (shortest round-trip), ISO-8601 UTC with milliseconds, lower-case booleans.</summary>
internal static class SampleText
{
    public static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
    public static string Bool(bool value) => value ? "true" : "false";
    public const string Malformed = "n/a";

    /// <summary>The text of one cell, or null for an absent value (an empty cell).</summary>
    public static string? Of(SampleRound round, ExportColumn column)
    {
        if (column.IsLocation)
        {
            if (column.Slot >= round.Locations.Count) return null;
            var l = round.Locations[column.Slot];
            return column.Field switch
            {
                ExportField.Hole => Number(l.Hole),
                ExportField.HoleSection => Number(l.HoleSection),
                ExportField.SectionNumber => Number(l.SectionNumber),
                ExportField.SectionStart => l.StartSeconds is { } s ? Number(s) : null,
                ExportField.Longitude => Number(l.Longitude),
                ExportField.Latitude => Number(l.Latitude),
                ExportField.Pace => Number(l.Pace),
                ExportField.PaceGap => Number(l.PaceGap),
                ExportField.PositionalGap => Number(l.PositionalGap),
                ExportField.Battery => l.BatteryMalformed ? Malformed : Number(l.Battery),
                ExportField.IsProjected => Bool(l.IsProjected),
                ExportField.IsProblem => Bool(l.IsProblem),
                ExportField.IsCache => Bool(l.IsCache),
                ExportField.HeldUp => Bool(l.HeldUp),
                ExportField.HoldingUp => Bool(l.HoldingUp),
                ExportField.FixDate => l.Date is { } d ? Iso(d) : null,
                _ => throw new ArgumentOutOfRangeException(nameof(column)),
            };
        }
        var last = round.Locations[^1];
        return column.Field switch
        {
            ExportField.Id => round.Id,
            ExportField.Course => round.Course,
            ExportField.Device => round.Device,
            ExportField.StartTime => Iso(round.Start),
            ExportField.EndTime => Iso(round.End),
            ExportField.StartHole => Number(round.StartHole),
            ExportField.StartSection => Number(round.StartSection),
            ExportField.EndSection => Number(round.EndSection),
            ExportField.IsNineHole => Bool(round.IsNineHole),
            ExportField.CurrentNine => Number(round.CurrentNine),
            ExportField.GoalTime => Number(round.GoalTime),
            ExportField.GoalName => round.GoalName,
            ExportField.GoalTimeFraction => Number(round.GoalTimeFraction),
            ExportField.Complete => Bool(round.Complete),
            ExportField.IsIncomplete => Bool(!round.Complete),
            ExportField.IsSecondary => Bool(round.IsSecondary),
            ExportField.IsAutoAssigned => Bool(round.IsAutoAssigned),
            ExportField.FirstFix => Iso(round.Start),
            ExportField.LastFix => Iso(round.End),
            ExportField.LastSectionStart => Iso(round.Start.AddSeconds(last.StartSeconds ?? 0)),
            ExportField.CurrentSection => Number(last.SectionNumber),
            ExportField.CurrentHole => Number(round.CurrentHole),
            ExportField.CurrentHoleSection => Number(round.CurrentHoleSection),
            ExportField.CaptureLogs => round.CaptureLogs,
            ExportField.Version => Number(round.Version),
            _ => throw new ArgumentOutOfRangeException(nameof(column)),
        };
    }
}
