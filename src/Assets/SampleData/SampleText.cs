namespace TmLakehouse.Assets.SampleData;

/// <summary>How exports spell values: invariant numbers (shortest round-trip), ISO-8601 UTC with milliseconds, lower-case booleans.</summary>
internal static class SampleText
{
    public const string Malformed = "n/a";

    /// <summary>The bytes of <see cref="Iso(DateTime, Span{byte})"/>: <c>2025-06-01T14:03:07.120Z</c>.</summary>
    public const int IsoLength = 24;

    /// <summary>Writes <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> (UTC) as ASCII and returns its length (<see cref="IsoLength"/>).</summary>
    public static int Iso(DateTime utc, Span<byte> target)
    {
        Digits(target[..4], utc.Year);
        target[4] = (byte)'-';
        Digits(target[5..7], utc.Month);
        target[7] = (byte)'-';
        Digits(target[8..10], utc.Day);
        target[10] = (byte)'T';
        Digits(target[11..13], utc.Hour);
        target[13] = (byte)':';
        Digits(target[14..16], utc.Minute);
        target[16] = (byte)':';
        Digits(target[17..19], utc.Second);
        target[19] = (byte)'.';
        Digits(target[20..23], utc.Millisecond);
        target[23] = (byte)'Z';
        return IsoLength;
    }

    private static void Digits(Span<byte> target, int value)
    {
        for (var i = target.Length - 1; i >= 0; i--, value /= 10) target[i] = (byte)('0' + value % 10);
    }

    /// <summary>Writes the text of one cell; an absent value (an empty cell) writes nothing.</summary>
    public static void Write(CsvExportWriter w, SampleRound round, ExportColumn column)
    {
        if (column.IsLocation)
        {
            if (column.Slot >= round.Locations.Count) return;
            var l = round.Locations[column.Slot];
            switch (column.Field)
            {
                case ExportField.Hole: w.Number(l.Hole); break;
                case ExportField.HoleSection: w.Number(l.HoleSection); break;
                case ExportField.SectionNumber: w.Number(l.SectionNumber); break;
                case ExportField.SectionStart: if (l.StartSeconds is { } s) w.Number(s); break;
                case ExportField.Longitude: w.Number(l.Longitude); break;
                case ExportField.Latitude: w.Number(l.Latitude); break;
                case ExportField.Pace: w.Number(l.Pace); break;
                case ExportField.PaceGap: w.Number(l.PaceGap); break;
                case ExportField.PositionalGap: w.Number(l.PositionalGap); break;
                case ExportField.Battery: if (l.BatteryMalformed) w.Text(Malformed); else w.Number(l.Battery); break;
                case ExportField.IsProjected: w.Bool(l.IsProjected); break;
                case ExportField.IsProblem: w.Bool(l.IsProblem); break;
                case ExportField.IsCache: w.Bool(l.IsCache); break;
                case ExportField.HeldUp: w.Bool(l.HeldUp); break;
                case ExportField.HoldingUp: w.Bool(l.HoldingUp); break;
                case ExportField.FixDate: if (l.Date is { } d) w.Iso(d); break;
                default: throw new ArgumentOutOfRangeException(nameof(column));
            }
            return;
        }
        var last = round.Locations[^1];
        switch (column.Field)
        {
            case ExportField.Id: if (round.Id is not null) w.Text(round.Id); break;
            case ExportField.Course: w.Text(round.Course); break;
            case ExportField.Device: w.Text(round.Device); break;
            case ExportField.StartTime: w.Iso(round.Start); break;
            case ExportField.EndTime: w.Iso(round.End); break;
            case ExportField.StartHole: w.Number(round.StartHole); break;
            case ExportField.StartSection: w.Number(round.StartSection); break;
            case ExportField.EndSection: w.Number(round.EndSection); break;
            case ExportField.IsNineHole: w.Bool(round.IsNineHole); break;
            case ExportField.CurrentNine: w.Number(round.CurrentNine); break;
            case ExportField.GoalTime: w.Number(round.GoalTime); break;
            case ExportField.GoalName: w.Text(round.GoalName); break;
            case ExportField.GoalTimeFraction: w.Number(round.GoalTimeFraction); break;
            case ExportField.Complete: w.Bool(round.Complete); break;
            case ExportField.IsIncomplete: w.Bool(!round.Complete); break;
            case ExportField.IsSecondary: w.Bool(round.IsSecondary); break;
            case ExportField.IsAutoAssigned: w.Bool(round.IsAutoAssigned); break;
            case ExportField.FirstFix: w.Iso(round.Start); break;
            case ExportField.LastFix: w.Iso(round.End); break;
            case ExportField.LastSectionStart: w.Iso(round.Start.AddSeconds(last.StartSeconds ?? 0)); break;
            case ExportField.CurrentSection: w.Number(last.SectionNumber); break;
            case ExportField.CurrentHole: w.Number(round.CurrentHole); break;
            case ExportField.CurrentHoleSection: w.Number(round.CurrentHoleSection); break;
            case ExportField.CaptureLogs: if (round.CaptureLogs is not null) w.Text(round.CaptureLogs); break;
            case ExportField.Version: w.Number(round.Version); break;
            default: throw new ArgumentOutOfRangeException(nameof(column));
        }
    }
}
