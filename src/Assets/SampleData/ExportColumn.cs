namespace TmLakehouse.Assets.SampleData;

/// <summary>The fields an export can carry: round-level ones, then the per-location ones.</summary>
internal enum ExportField
{
    Id, Course, Device, StartTime, EndTime, StartHole, StartSection, EndSection, IsNineHole, CurrentNine, GoalTime, GoalName,
    GoalTimeFraction, Complete, IsIncomplete, IsSecondary, IsAutoAssigned, FirstFix, LastFix, LastSectionStart, CurrentSection,
    CurrentHole, CurrentHoleSection, CaptureLogs, Version,
    Hole, HoleSection, SectionNumber, SectionStart, Longitude, Latitude, Pace, PaceGap, PositionalGap, Battery, IsProjected,
    IsProblem, IsCache, HeldUp, HoldingUp, FixDate,
}

/// <summary>One column of a generated CSV: a round field, or a field of location slot <see cref="Slot"/>.</summary>
internal readonly record struct ExportColumn(ExportField Field, int Slot = -1)
{
    public const ExportField FirstLocationField = ExportField.Hole;

    public bool IsLocation => Field >= FirstLocationField;

    public string Name => IsLocation ? $"locations[{Slot}].{NameOf(Field)}" : NameOf(Field);

    public static string NameOf(ExportField field) => field switch
    {
        ExportField.Id => "_id",
        ExportField.Version => "__v",
        ExportField.SectionStart => "startTime",
        ExportField.Longitude => "fixCoordinates[0]",
        ExportField.Latitude => "fixCoordinates[1]",
        ExportField.Battery => "batteryPercentage",
        ExportField.FixDate => "date",
        _ => char.ToLowerInvariant(field.ToString()[0]) + field.ToString()[1..],
    };

    /// <summary>The course's columns for slot width <paramref name="slots"/>: its own field order and its own place for the round fields.</summary>
    public static IReadOnlyList<ExportColumn> For(CourseProfile course, int courseIndex, int seed, int slots)
    {
        var rng = new Random(seed ^ (courseIndex * 7919));
        var roundFields = Enum.GetValues<ExportField>().Where(f => f < FirstLocationField)
            .Where(f => f != ExportField.CaptureLogs || course.HasCaptureLogs)
            .ToArray();
        var locationFields = Enum.GetValues<ExportField>().Where(f => f >= FirstLocationField)
            .Where(f => course.HasGaps || f is not (ExportField.PaceGap or ExportField.PositionalGap))
            .Where(f => course.HasFixDate || f != ExportField.FixDate)
            .ToArray();
        rng.Shuffle(roundFields);
        rng.Shuffle(locationFields);
        var before = roundFields.Length - Math.Min(course.RoundColumnsAfterSlots, roundFields.Length);
        var columns = new List<ExportColumn>();
        columns.AddRange(roundFields[..before].Select(f => new ExportColumn(f)));
        for (var slot = 0; slot < slots; slot++) columns.AddRange(locationFields.Select(f => new ExportColumn(f, slot)));
        columns.AddRange(roundFields[before..].Select(f => new ExportColumn(f)));
        return columns;
    }
}
