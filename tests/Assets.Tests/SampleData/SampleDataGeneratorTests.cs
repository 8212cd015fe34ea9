using System.Text.RegularExpressions;
using TmLakehouse.Assets.SampleData;

namespace Assets.Tests.SampleData;

public sealed class SampleDataGeneratorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sample-data-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private SampleDataManifest Generate(string sub, int seed = 3, int rounds = 80) =>
        SampleDataGenerator.Generate(new SampleDataOptions { OutputDirectory = Path.Combine(_dir, sub), RoundsPerCourse = rounds, Seed = seed });

    [Fact]
    public void Generate_IsByteIdentical_ForTheSameSeed_AndDifferent_ForAnother()
    {
        var a = Generate("a");
        var b = Generate("b");
        var c = Generate("c", seed: 4);

        Assert.Equal(a.Files.Select(f => f with { Path = f.FileName }), b.Files.Select(f => f with { Path = f.FileName }));
        foreach (var (fa, fb) in a.Files.Zip(b.Files)) Assert.Equal(File.ReadAllBytes(fa.Path), File.ReadAllBytes(fb.Path));
        Assert.Contains(a.Files.Zip(c.Files), p => !File.ReadAllBytes(p.First.Path).AsSpan().SequenceEqual(File.ReadAllBytes(p.Second.Path)));
    }

    [Fact]
    public void Generate_WritesEveryQuirkOfRealExports()
    {
        var manifest = Generate("q", rounds: 400);
        var byCourse = manifest.Files.GroupBy(f => f.CourseId).ToDictionary(g => g.Key, g => g.ToList());
        string Header(string course) => File.ReadLines(byCourse[course][0].Path).First();

        Assert.Equal(SampleDataOptions.AllCourses.Order(), byCourse.Keys.Order());
        Assert.All(manifest.Files, f => Assert.Matches(@"^[a-z0-9]+_rounds_\d{4}-\d{2}-\d{2}\.(csv|json)$", f.FileName));
        Assert.All(manifest.Files, f => Assert.Equal(new DateOnly(2025, 6, 1), f.IngestDate));
        Assert.All(byCourse["pinehurst4"], f => Assert.Equal("json", f.Format));
        var json = File.ReadAllText(byCourse["pinehurst4"][0].Path);
        Assert.StartsWith("[{\"_id\":{\"$oid\":\"", json);
        Assert.Contains("\"startTime\":{\"$date\":\"", json);

        // 27 holes: the widest rounds need 81+ slots.
        Assert.All(byCourse["bradshawfarmgc"], f => Assert.True(f.SlotWidth >= 81, $"{f.FileName}: {f.SlotWidth} slots"));
        Assert.Contains(",locations[80].startTime", Header("bradshawfarmgc"));
        // Schema drift: indiancreek lacks the gaps and has capture logs; erinhills has no capture logs.
        Assert.DoesNotContain("paceGap", Header("indiancreek"));
        Assert.DoesNotContain("positionalGap", Header("indiancreek"));
        Assert.Contains("captureLogs", Header("indiancreek"));
        Assert.DoesNotContain("captureLogs", Header("erinhills"));
        var roundColumnOrders = new[] { "americanfalls", "bradshawfarmgc", "erinhills", "indiancreek" }
            .Select(c => string.Join(",", Header(c).Split(',').Where(h => !h.StartsWith("locations[") && h is "_id" or "course" or "device" or "startTime" or "goalName")))
            .ToList();
        Assert.Equal(roundColumnOrders.Count, roundColumnOrders.Distinct().Count());
        Assert.NotEqual(Header("erinhills").Split(',')[0], Header("indiancreek").Split(',')[0]);
        // Capture logs are JSON with commas and quotes, sometimes over several lines of one quoted cell.
        var indian = File.ReadAllText(byCourse["indiancreek"][0].Path);
        Assert.Matches(new Regex("\"\\[\\{\"\"t\"\":"), indian);
        Assert.Contains("\\\"\"fix\\\"\"", indian);
        Assert.Contains("},\n{", indian);

        foreach (var (course, files) in byCourse)
        {
            long rows = files.Sum(f => f.LocationRows);
            Assert.True(files.Sum(f => f.DuplicateRounds) > 0, course);
            Assert.True(files.Sum(f => f.ShotgunRounds) > 0, course);
            Assert.True(files.Sum(f => f.NineHoleRounds) > 0, course);
            Assert.True(files.Sum(f => f.OutOfRangeRows) > 0, course);
            Assert.True(files.Sum(f => f.MissingTimestampRows) > 0, course);
            Assert.InRange((double)files.Sum(f => f.OutOfRangeRows + f.SwappedRows) / rows, 0.001, 0.05);
            Assert.InRange((double)files.Sum(f => f.MissingTimestampRows) / rows, 0.005, 0.05);
            if (course != "pinehurst4") Assert.True(files.Sum(f => f.PaddingSlots) > 0, course);
        }
        Assert.True(byCourse["americanfalls"].Sum(f => f.SwappedRows) > 0);
        Assert.True(byCourse["indiancreek"].Sum(f => f.SwappedRows) > 0);
        Assert.True(manifest.Files.Sum(f => f.NullIdRounds) > 0);
        Assert.True(manifest.Files.Sum(f => f.CourseMismatchRounds) > 0);
    }

    [Fact]
    public void Generate_HonoursTheCourseSubsetAndFileCount()
    {
        var manifest = SampleDataGenerator.Generate(new SampleDataOptions
        {
            OutputDirectory = Path.Combine(_dir, "s"), Courses = ["erinhills"], RoundsPerCourse = 30, FilesPerCourse = 3, IngestDate = new DateOnly(2024, 9, 3),
        });
        Assert.Equal(["erinhills_rounds_2024-09-01.csv", "erinhills_rounds_2024-09-02.csv", "erinhills_rounds_2024-09-03.csv"], manifest.Files.Select(f => f.FileName));
        Assert.Equal(30, manifest.Files.Sum(f => f.Rounds - f.DuplicateRounds));
        Assert.Equal(manifest.Files.Select(f => Path.GetFileName(f.Path)).Order(), Directory.GetFiles(Path.Combine(_dir, "s")).Select(Path.GetFileName).Order());
        Assert.Throws<ArgumentException>(() => SampleDataGenerator.Generate(new SampleDataOptions { OutputDirectory = _dir, Courses = ["augusta"] }));
    }
}
