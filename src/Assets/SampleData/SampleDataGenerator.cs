namespace TmLakehouse.Assets.SampleData;

/// <summary>
/// Writes realistic Tagmarshal round exports for the five sample courses, with every quirk of DATA_CONTRACT.md §1,
/// streaming each round to disk; the same options always give the same bytes.
/// </summary>
public static class SampleDataGenerator
{
    /// <summary>Of every 1,000 rounds, how many are exported a second time (the copy with isCache = true).</summary>
    public const int DuplicatesPerThousand = 40;

    public static SampleDataManifest Generate(SampleDataOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.RoundsPerCourse);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.FilesPerCourse);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.EventDays);
        Directory.CreateDirectory(options.OutputDirectory);
        var jsonCourses = options.JsonCourses ?? ["pinehurst4"];
        var courses = (options.Courses ?? SampleDataOptions.AllCourses).ToList();
        var perCourse = new (SampleDataFile[] Files, string Sections)[courses.Count];
        // Courses share nothing (each has its own seeded factory and files), so they are written in parallel, one per core:
        // `tmlake demo` writes its five courses' 185 MB first. The manifest lists them in the given course order all the same.
        try
        {
            Parallel.For(0, courses.Count, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount },
                c => perCourse[c] = WriteCourse(options, courses[c], jsonCourses, cancellationToken));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
        var files = perCourse.SelectMany(p => p.Files).ToList();
        var sections = perCourse.Select(p => p.Sections).ToList();
        return new SampleDataManifest(options.Seed, files) { SectionFiles = sections };
    }

    private static (SampleDataFile[] Files, string Sections) WriteCourse(SampleDataOptions options, string courseId, IReadOnlyCollection<string> jsonCourses,
        CancellationToken cancellationToken)
    {
        var course = CourseProfile.Get(courseId);
        var courseIndex = CourseProfile.All.ToList().IndexOf(course);
        var factory = new RoundFactory(course, courseIndex, options.Seed, options.IngestDate, options.EventDays);
        // Beside the exports, not among them: the folder's top level holds only round exports to land.
        var sections = SectionPolygonWriter.Write(Path.Combine(options.OutputDirectory, "sections"), course);
        var files = new SampleDataFile[options.FilesPerCourse];
        for (var f = 0; f < options.FilesPerCourse; f++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var exportDate = options.IngestDate.AddDays(f - options.FilesPerCourse + 1);
            var json = jsonCourses.Contains(courseId);
            var path = Path.Combine(options.OutputDirectory, $"{courseId}_rounds_{exportDate:yyyy-MM-dd}.{(json ? "json" : "csv")}");
            files[f] = WriteFile(path, course, courseIndex, options, factory, FileSequence(options, courseIndex, f), json, cancellationToken);
        }
        return (files, sections);
    }

    /// <summary>
    /// The rounds of file f in order: copies of the previous file's re-exported rounds first (a later export re-sends them),
    /// then the file's own rounds; the last file also ends with copies of its own re-exported rounds.
    /// </summary>
    private static IEnumerable<(int Round, bool Copy)> FileSequence(SampleDataOptions options, int courseIndex, int file)
    {
        int First(int f) => (int)((long)options.RoundsPerCourse * f / options.FilesPerCourse);
        if (file > 0)
            for (var r = First(file - 1); r < First(file); r++)
                if (IsReExported(options.Seed, courseIndex, r)) yield return (r, true);
        for (var r = First(file); r < First(file + 1); r++) yield return (r, false);
        if (file == options.FilesPerCourse - 1)
            for (var r = First(file); r < First(file + 1); r++)
                if (IsReExported(options.Seed, courseIndex, r)) yield return (r, true);
    }

    private static bool IsReExported(int seed, int courseIndex, int round) =>
        (uint)HashOf(seed, courseIndex, round) % 1000 < DuplicatesPerThousand;

    private static int HashOf(int seed, int courseIndex, int round)
    {
        var h = unchecked((uint)seed * 2654435761u ^ (uint)courseIndex * 40503u ^ (uint)round * 2246822519u);
        h ^= h >> 15; h *= 2246822519u; h ^= h >> 13; h *= 3266489917u; h ^= h >> 16;
        return (int)h;
    }

    private static SampleDataFile WriteFile(string path, CourseProfile course, int courseIndex, SampleDataOptions options, RoundFactory factory,
        IEnumerable<(int Round, bool Copy)> sequence, bool json, CancellationToken cancellationToken)
    {
        // A CSV is as wide as its widest round, so the widths are drawn first (cheap: only each round's plan).
        var width = json ? 0 : sequence.Max(s => factory.LocationCount(s.Round));
        var counts = new SampleDataFile(path, course.Id, options.IngestDate, json ? "json" : "csv") { SlotWidth = width };
        var round = new SampleRound();
        long locations = 0, padding = 0, outOfRange = 0, swapped = 0, outOfRangeFixes = 0, swappedFixes = 0, missingTs = 0, malformed = 0;
        int rounds = 0, copies = 0, nullIds = 0, mismatches = 0, shotguns = 0, nines = 0, logs = 0;
        using (var csv = json ? null : new CsvExportWriter(path, ExportColumn.For(course, courseIndex, options.Seed, width)))
        using (var mongo = json ? new JsonExportWriter(path) : null)
        {
            foreach (var (index, copy) in sequence)
            {
                if ((rounds & 255) == 0) cancellationToken.ThrowIfCancellationRequested();
                factory.Fill(round, index, copy);
                if (csv is not null) csv.Write(round); else mongo!.Write(round);
                rounds++;
                if (copy) copies++;
                if (round.Id is null) nullIds++;
                if (round.Course != course.Id) mismatches++;
                if (RoundFactory.IsShotgun(round)) shotguns++;
                if (round.IsNineHole) nines++;
                if (round.CaptureLogs is not null) logs++;
                locations += round.Locations.Count;
                padding += json ? 0 : width - round.Locations.Count;
                // A copy repeats its round's fixes, so it adds none, unless it has no round id (no key to dedup by).
                var newFixes = !copy || round.Id is null;
                foreach (var l in round.Locations)
                {
                    if (Math.Abs(l.Longitude) > 180) { outOfRange++; if (newFixes) outOfRangeFixes++; }
                    else if (Math.Abs(l.Latitude) > 90) { swapped++; if (newFixes) swappedFixes++; }
                    if (l.StartSeconds is null && l.Date is null) missingTs++;
                    if (l.BatteryMalformed) malformed++;
                }
            }
        }
        return counts with
        {
            Bytes = new FileInfo(path).Length, Rounds = rounds, DuplicateRounds = copies, LocationRows = locations, PaddingSlots = padding,
            OutOfRangeRows = outOfRange, SwappedRows = swapped, OutOfRangeFixes = outOfRangeFixes, SwappedFixes = swappedFixes, MissingTimestampRows = missingTs, MalformedValues = malformed,
            NullIdRounds = nullIds, CourseMismatchRounds = mismatches, ShotgunRounds = shotguns, NineHoleRounds = nines, CaptureLogRounds = logs,
        };
    }
}
