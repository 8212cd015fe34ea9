using Lakehouse.Core.Quality;

namespace TmLakehouse.Assets.Tests.Models;

/// <summary>
/// The six Gold models of DATA_CONTRACT.md §4 added in issue 17, on a small Silver input whose figures were worked out by hand.
/// Round rB landed on two days: its kept copies (slot 0 cached on day 1, slot 1 tied on battery so day 2's) decide its figures,
/// which shows the cross-ingest rule holds in every model. A round of another course must never show up.
/// </summary>
public sealed class SqlGoldModelsTests : IDisposable
{
    private static readonly DateOnly Day1 = new(2025, 6, 1), Day2 = new(2025, 6, 2);
    private static readonly DateTimeOffset Monday = new(2025, 6, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Saturday = new(2025, 6, 7, 23, 30, 0, TimeSpan.Zero);
    private readonly ModelLake _lake = new();

    public void Dispose() => _lake.Dispose();

    private static IEnumerable<SilverFix> Day1Fixes() =>
    [
        new("rA", 0, Monday) { IngestDate = Day1, Hole = 1, Nine = 1, Section = 1, Pace = 10, PaceGap = 5, Battery = 50, IsProjected = false, StartHole = 1, IsComplete = true, IsNineHole = false },
        new("rA", 1, Monday.AddMinutes(10)) { IngestDate = Day1, Hole = 1, Nine = 1, Section = 2, Pace = 20, Battery = 40, IsProjected = true },
        new("rA", 2, Monday.AddMinutes(30)) { IngestDate = Day1, Hole = 2, Nine = 1, Section = 30, IsProblem = true },
        new("rA", 3, null) { IngestDate = Day1, Section = 3 },
        new("rB", 0, Saturday) { IngestDate = Day1, Hole = 10, Nine = 2, Section = 28, Pace = 100, Battery = 30, IsCache = true, StartHole = 10, IsComplete = false },
        new("rB", 1, Saturday.AddMinutes(5)) { IngestDate = Day1, Hole = 10, Nine = 2, Section = 29, Pace = 50, Battery = 20, StartHole = 10, IsComplete = false },
        new("rC", 0, null) { IngestDate = Day1, Hole = 5, Nine = 1, Section = 60, Battery = 5 },
        new("rZ", 0, Monday.AddDays(1)) { CourseId = "indiancreek", IngestDate = Day1, Hole = 3, Nine = 1, Section = 90, Pace = 1, Battery = 99, StartHole = 3 },
    ];

    private static IEnumerable<SilverFix> Day2Fixes() =>
    [
        new("rB", 0, Saturday.AddSeconds(30)) { IngestDate = Day2, Hole = 10, Nine = 2, Section = 28, Pace = 200, Battery = 90, IsCache = false, StartHole = 10, IsComplete = true },
        new("rB", 1, Saturday.AddMinutes(6)) { IngestDate = Day2, Hole = 10, Nine = 2, Section = 29, Pace = 60, Battery = 20, StartHole = 10, IsComplete = true },
        new("rB", 2, Saturday.AddMinutes(20)) { IngestDate = Day2, Hole = 11, Nine = 2, Section = 31, Pace = 70, Battery = 15, StartHole = 10, IsComplete = true, IsNineHole = true },
    ];

    private async Task<Dictionary<string, List<Dictionary<string, object?>>>> BuildAsync(params string[] landedDays)
    {
        // Day 2's file first, so that the order of files cannot pick the copies.
        await SilverFix.WriteAsync(_lake.Tables, [Day2Fixes(), Day1Fixes()]);
        await _lake.Partitions.AddDynamicPartitionKeysAsync(TmLakehouse.Assets.Bronze.BronzePartitions.Name,
            landedDays.Select(d => $"course_id=erinhills,ingest_date={d}"), CancellationToken.None);
        var tables = new Dictionary<string, List<Dictionary<string, object?>>>();
        foreach (var model in new[] { "fact_rounds", "fact_round_hole_performance", "course_rounds_by_month", "course_rounds_by_weekday",
                     "course_start_hole_distribution", "dim_course", "data_quality_overview" })
        {
            var result = await _lake.MaterializeAsync(ModelLake.RepositoryModels, $"gold/{model}", "erinhills");
            Assert.All(result.CheckResults, c => Assert.True(c.Passed || c.Severity == AssetCheckSeverity.Warn, $"{model} {c.CheckName}: {c.Description}"));
            Assert.True(result.CheckResults.Count > 0, model);
            tables[model] = await _lake.RowsAsync($"gold.{model}", "erinhills");
        }
        return tables;
    }

    [Fact]
    public async Task HolePerformance_OneRowPerRoundHoleNine_FromTheKeptCopies()
    {
        var rows = (await BuildAsync("2025-06-01", "2025-06-02"))["fact_round_hole_performance"];

        Assert.Equal(5, rows.Count);
        Dictionary<string, object?> Row(string round, int hole) => Assert.Single(rows, r => (string?)r["round_id"] == round && (int?)r["hole_number"] == hole);
        var a1 = Row("rA", 1);
        Assert.Equal((1, 2L, Monday, Monday.AddMinutes(10), 600.0, 15.0, 20.0, 5.0, 1L, 0L),
            ((int?)a1["nine_number"], a1["fix_count"], a1["first_fix_ts"], a1["last_fix_ts"], a1["hole_duration_sec"], a1["avg_pace"], a1["max_pace"], a1["avg_pace_gap"], a1["projected_fix_count"], a1["problem_fix_count"]));
        var a2 = Row("rA", 2);
        Assert.Equal((1L, 0.0, null, 1L), (a2["fix_count"], a2["hole_duration_sec"], a2["avg_pace"], a2["problem_fix_count"]));
        // rB hole 10: slot 0 from day 1 (cached: pace 100 at 23:30:00), slot 1 from day 2 (tie on battery 20: pace 60 at 23:36).
        var b10 = Row("rB", 10);
        Assert.Equal((2L, Saturday, Saturday.AddMinutes(6), 360.0, 80.0, 100.0), (b10["fix_count"], b10["first_fix_ts"], b10["last_fix_ts"], b10["hole_duration_sec"], b10["avg_pace"], b10["max_pace"]));
        var c5 = Row("rC", 5);
        Assert.Equal((1L, null, null), (c5["fix_count"], c5["first_fix_ts"], c5["hole_duration_sec"]));
        Assert.DoesNotContain(rows, r => (string?)r["round_id"] == "rZ");
    }

    [Fact]
    public async Task MonthWeekdayAndStartHole_CountTheCoursesRounds_LeavingOutRoundsWithoutAStart()
    {
        var tables = await BuildAsync("2025-06-01", "2025-06-02");

        var month = Assert.Single(tables["course_rounds_by_month"]);
        // rA (Monday 08:00, 1800 s, 4 fixes, complete, not nine-hole) and rB (Saturday 23:30, 1200 s, 3 fixes, complete, nine-hole); rC has no start.
        Assert.Equal((2025, 6, 2L, 2L, 1L, 1500.0, 3.5),
            ((int?)month["year"], (int?)month["month"], month["rounds"], month["complete_rounds"], month["nine_hole_rounds"], month["avg_duration_sec"], month["avg_fix_count"]));

        var weekdays = tables["course_rounds_by_weekday"].OrderBy(r => (int?)r["iso_weekday"]).Select(r => ((int?)r["iso_weekday"], r["rounds"], r["avg_duration_sec"])).ToList();
        Assert.Equal([(1, 1L, 1800.0), (6, 1L, 1200.0)], weekdays);

        var starts = tables["course_start_hole_distribution"].OrderBy(r => (int?)r["start_hole"] ?? 0).Select(r => ((int?)r["start_hole"], r["rounds"], r["share_of_rounds"])).ToList();
        Assert.Equal([(null, 1L, 1 / 3.0), (1, 1L, 1 / 3.0), (10, 1L, 1 / 3.0)], starts);
    }

    [Fact]
    public async Task DimCourseAndDataQuality_DescribeTheCourseOnce_WithEachFixCountedOnce()
    {
        var tables = await BuildAsync("2025-06-01", "2025-06-02");

        var course = Assert.Single(tables["dim_course"]);
        Assert.Equal((new DateOnly(2025, 6, 2), new DateOnly(2025, 6, 7), 3L, 11, 60, "27", 8 / 3.0),
            (course["first_round_date"], course["last_round_date"], course["rounds"], (int?)course["max_hole_number"], (int?)course["max_section_number"], course["course_layout"], course["avg_fixes_per_round"]));

        // 8 fixes (rB's 5 copies are 3 fixes): 2 without time, 1 projected, 1 problem, 1 cached (rB slot 0 from day 1),
        // 5 with pace, 1 with pace gap, 6 with battery.
        var quality = Assert.Single(tables["data_quality_overview"]);
        Assert.Equal((3L, 8L, 0.25, 0.125, 0.125, 0.125, 0.625, 0.125, 0.75),
            (quality["rounds"], quality["fixes"], quality["ts_missing_rate"], quality["projected_rate"], quality["problem_rate"], quality["cached_rate"],
                quality["pace_coverage"], quality["pace_gap_coverage"], quality["battery_coverage"]));
        // round(100 × (0.4 × 0.625 + 0.3 × 0.75 + 0.3 × 0.75), 1)
        Assert.Equal(70.0, quality["data_quality_score"]);
    }

    [Fact]
    public async Task SourceFreshness_WarnsOnlyWhenSilverLagsTheNewestLandedIngest_NotTheWallClock()
    {
        await BuildAsync("2025-06-01", "2025-06-02");
        var fresh = await _lake.MaterializeAsync(ModelLake.RepositoryModels, "gold/fact_rounds", "erinhills");
        var freshCheck = Assert.Single(fresh.CheckResults, c => c.CheckName == "source_freshness_silver_fact_telemetry_event");
        // The fake clock is 2025-06-01 and real time is later: neither matters, only the landed dates.
        Assert.True(freshCheck.Passed, freshCheck.Description);

        await _lake.Partitions.AddDynamicPartitionKeysAsync(TmLakehouse.Assets.Bronze.BronzePartitions.Name, ["course_id=erinhills,ingest_date=2025-06-03"], CancellationToken.None);
        var stale = await _lake.MaterializeAsync(ModelLake.RepositoryModels, "gold/fact_rounds", "erinhills");
        var staleCheck = Assert.Single(stale.CheckResults, c => c.CheckName == "source_freshness_silver_fact_telemetry_event");
        Assert.False(staleCheck.Passed);
        Assert.Equal(AssetCheckSeverity.Warn, staleCheck.Severity);
        Assert.False(staleCheck.StopsDownstream);
        Assert.Contains("2025-06-02, the newest landed is 2025-06-03 (1 day(s) behind", staleCheck.Description);
    }
}
