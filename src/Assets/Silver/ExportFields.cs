namespace TmLakehouse.Assets.Silver;

/// <summary>The round-level export fields Silver reads (DATA_CONTRACT.md §1a); others are ignored.</summary>
internal enum RoundField
{
    Id, Course, Device, StartTime, EndTime, StartHole, StartSection, EndSection, IsNineHole, CurrentNine, GoalTime, GoalName,
    GoalTimeFraction, Complete, IsIncomplete, IsSecondary, IsAutoAssigned, CaptureLogs,
}

/// <summary>The per-location export fields (the part after <c>locations[i].</c>).</summary>
internal enum LocationField
{
    Hole, HoleSection, SectionNumber, StartTime, Longitude, Latitude, Pace, PaceGap, PositionalGap, Battery, IsProjected, IsProblem,
    IsCache, HeldUp, HoldingUp, Date,
}

/// <summary>Export field names (as CSV headers and JSON property names) and what they are.</summary>
internal static class ExportFields
{
    public static readonly int RoundFieldCount = Enum.GetValues<RoundField>().Length;
    public static readonly int LocationFieldCount = Enum.GetValues<LocationField>().Length;

    private static readonly Dictionary<string, RoundField> Rounds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["_id"] = RoundField.Id, ["course"] = RoundField.Course, ["device"] = RoundField.Device, ["startTime"] = RoundField.StartTime,
        ["endTime"] = RoundField.EndTime, ["startHole"] = RoundField.StartHole, ["startSection"] = RoundField.StartSection,
        ["endSection"] = RoundField.EndSection, ["isNineHole"] = RoundField.IsNineHole, ["currentNine"] = RoundField.CurrentNine,
        ["goalTime"] = RoundField.GoalTime, ["goalName"] = RoundField.GoalName, ["goalTimeFraction"] = RoundField.GoalTimeFraction,
        ["complete"] = RoundField.Complete, ["isIncomplete"] = RoundField.IsIncomplete, ["isSecondary"] = RoundField.IsSecondary,
        ["isAutoAssigned"] = RoundField.IsAutoAssigned, ["captureLogs"] = RoundField.CaptureLogs,
    };

    private static readonly Dictionary<string, LocationField> Locations = new(StringComparer.OrdinalIgnoreCase)
    {
        ["hole"] = LocationField.Hole, ["holeSection"] = LocationField.HoleSection, ["sectionNumber"] = LocationField.SectionNumber,
        ["startTime"] = LocationField.StartTime, ["fixCoordinates[0]"] = LocationField.Longitude,
        ["fixCoordinates[1]"] = LocationField.Latitude, ["pace"] = LocationField.Pace, ["paceGap"] = LocationField.PaceGap,
        ["positionalGap"] = LocationField.PositionalGap, ["batteryPercentage"] = LocationField.Battery,
        ["isProjected"] = LocationField.IsProjected, ["isProblem"] = LocationField.IsProblem, ["isCache"] = LocationField.IsCache,
        ["heldUp"] = LocationField.HeldUp, ["holdingUp"] = LocationField.HoldingUp, ["date"] = LocationField.Date,
    };

    private static readonly Dictionary<string, LocationField>.AlternateLookup<ReadOnlySpan<char>> LocationLookup = Locations.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly Dictionary<string, RoundField>.AlternateLookup<ReadOnlySpan<char>> RoundLookup = Rounds.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>A MongoDB export flattened to CSV may name a column <c>_id.$oid</c> or <c>startTime.$date</c>.</summary>
    private static ReadOnlySpan<char> WithoutExtendedSuffix(ReadOnlySpan<char> name) =>
        name.EndsWith(".$oid", StringComparison.Ordinal) || name.EndsWith(".$date", StringComparison.Ordinal) ? name[..name.LastIndexOf('.')] : name;

    public static bool TryRound(ReadOnlySpan<char> name, out RoundField field) => RoundLookup.TryGetValue(WithoutExtendedSuffix(name), out field);

    public static bool TryLocation(ReadOnlySpan<char> name, out LocationField field) => LocationLookup.TryGetValue(WithoutExtendedSuffix(name), out field);

    /// <summary>Parses <c>locations[12].pace</c> into slot 12 and the field; false for any other name.</summary>
    public static bool TrySlot(string header, out int slot, out LocationField field)
    {
        slot = -1;
        field = default;
        const string prefix = "locations[";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return false;
        var close = header.IndexOf(']', prefix.Length);
        if (close < 0 || close + 1 >= header.Length || header[close + 1] != '.') return false;
        if (!int.TryParse(header.AsSpan(prefix.Length, close - prefix.Length), System.Globalization.NumberStyles.None, null, out slot)) return false;
        return TryLocation(header.AsSpan(close + 2), out field);
    }
}
