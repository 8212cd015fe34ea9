namespace TmLakehouse.Assets.SampleData;

/// <summary>What the sample data generator writes: where, which courses, how many rounds, and the seed that makes it repeatable.</summary>
public sealed record SampleDataOptions
{
    /// <summary>The five courses the generator knows, in order.</summary>
    public static IReadOnlyList<string> AllCourses { get; } = ["americanfalls", "bradshawfarmgc", "erinhills", "indiancreek", "pinehurst4"];

    public required string OutputDirectory { get; init; }

    /// <summary>A subset of <see cref="AllCourses"/>; null means all five.</summary>
    public IReadOnlyList<string>? Courses { get; init; }

    /// <summary>Rounds per course (before re-exported copies); the default gives ≈ 27,500 rounds and ≈ 1.35 M location rows in total.</summary>
    public int RoundsPerCourse { get; init; } = 5_500;

    /// <summary>The same seed (and options) always writes byte-identical files.</summary>
    public int Seed { get; init; } = 20250601;

    /// <summary>The Bronze partition date every file of this batch belongs to.</summary>
    public DateOnly IngestDate { get; init; } = new(2025, 6, 1);

    /// <summary>Exports per course (one per export day ending on the ingest date); re-exported rounds cross file boundaries.</summary>
    public int FilesPerCourse { get; init; } = 2;

    /// <summary>
    /// Rounds start on one of the this many days before the ingest date, drawn per round, so an export is in no order of day
    /// (default 20; a full-history export spans hundreds: the case the writer's clustering is for).
    /// </summary>
    public int EventDays { get; init; } = 20;

    /// <summary>Courses exported as MongoDB JSON instead of CSV; null means pinehurst4 only.</summary>
    public IReadOnlyCollection<string>? JsonCourses { get; init; }
}
