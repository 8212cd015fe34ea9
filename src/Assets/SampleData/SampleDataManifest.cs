namespace TmLakehouse.Assets.SampleData;

/// <summary>What one generator run wrote: every file with its course, ingest date and the counts of each quirk it holds.</summary>
public sealed record SampleDataManifest(int Seed, IReadOnlyList<SampleDataFile> Files)
{
    /// <summary>One GeoJSON of section polygons per course (under <c>sections/</c>), for a course_sections manifest.</summary>
    public IReadOnlyList<string> SectionFiles { get; init; } = [];

    public long TotalRounds => Files.Sum(f => f.Rounds);
    public long TotalLocationRows => Files.Sum(f => f.LocationRows);
    public long TotalBytes => Files.Sum(f => f.Bytes);
}

/// <summary>One written export and the quirks counted while writing it (copies of re-exported rounds included).</summary>
public sealed record SampleDataFile(string Path, string CourseId, DateOnly IngestDate, string Format)
{
    public string FileName => System.IO.Path.GetFileName(Path);
    public long Bytes { get; init; }
    /// <summary>Round records written, copies of re-exported rounds included.</summary>
    public int Rounds { get; init; }
    /// <summary>Copies (isCache = true) of rounds already exported once.</summary>
    public int DuplicateRounds { get; init; }
    /// <summary>CSV only: N, the location slots per line (the widest round).</summary>
    public int SlotWidth { get; init; }
    /// <summary>Non-padding location records.</summary>
    public long LocationRows { get; init; }
    /// <summary>CSV only: empty location slots of narrower rounds.</summary>
    public long PaddingSlots { get; init; }
    public long OutOfRangeRows { get; init; }
    public long SwappedRows { get; init; }
    /// <summary>Out-of-range rows counted once per fix: a re-exported copy's rows are the same fixes (what Silver quarantines, dedup first).</summary>
    public long OutOfRangeFixes { get; init; }
    /// <summary>Swapped rows counted once per fix, like <see cref="OutOfRangeFixes"/>.</summary>
    public long SwappedFixes { get; init; }
    public long MissingTimestampRows { get; init; }
    public long MalformedValues { get; init; }
    public int NullIdRounds { get; init; }
    public int CourseMismatchRounds { get; init; }
    public int ShotgunRounds { get; init; }
    public int NineHoleRounds { get; init; }
    public int CaptureLogRounds { get; init; }
}
