using Lakehouse.Core.Assets;
using Lakehouse.Core.Tables;
using TmLakehouse.Assets.Tests.Fakes;

namespace TmLakehouse.Assets.Tests.Models;

/// <summary>The Gold SQL models against a naive LINQ computation over row objects, on random Silver input.</summary>
public sealed class SqlGoldAgainstNaiveTests : IDisposable
{
    private static readonly DateTimeOffset Base = new(2024, 5, 1, 6, 0, 0, TimeSpan.Zero);
    private readonly ModelLake _lake = new();

    public void Dispose() => _lake.Dispose();

    /// <summary>A few thousand fixes of a few hundred rounds over two courses, shuffled and cut into random batches.</summary>
    private static (List<SilverFix> Fixes, List<List<SilverFix>> Batches) RandomSilver(int seed)
    {
        var random = new Random(seed);
        T? Maybe<T>(T value, double nullRate = 0.15) where T : struct => random.NextDouble() < nullRate ? null : value;
        var fixes = new List<SilverFix>();
        for (var r = 0; r < 300; r++)
        {
            var course = r % 5 == 0 ? "other" : "erinhills";
            var count = random.Next(1, 25);
            var start = Base.AddMinutes(random.Next(0, 60 * 24 * 30));
            var nines = random.Next(1, 4);
            int? startHole = random.Next(0, 4) == 0 ? null : random.Next(1, 19);
            bool? nineHole = random.Next(0, 4) == 0 ? null : random.Next(2) == 0;
            bool? complete = random.Next(0, 4) == 0 ? null : random.Next(2) == 0;
            for (var i = 0; i < count; i++)
            {
                var section = random.Next(1, 27 * nines + 1);
                fixes.Add(new SilverFix($"round-{r:D4}", i, Maybe(start.AddSeconds(random.Next(0, 5 * 3600)), 0.1))
                {
                    CourseId = course,
                    Hole = Maybe((section - 1) / 3 + 1),
                    Nine = Maybe(section <= 27 ? 1 : section <= 54 ? 2 : 3, 0.3),
                    Section = Maybe(section),
                    StartHole = startHole,
                    IsNineHole = nineHole,
                    IsComplete = complete,
                    Pace = Maybe(Math.Round(random.NextDouble() * 600 - 300, 1), 0.3),
                    PaceGap = Maybe(Math.Round(random.NextDouble() * 200, 2), 0.4),
                    PositionalGap = Maybe(Math.Round(random.NextDouble() * 50, 2), 0.4),
                    Battery = Maybe(Math.Round(random.NextDouble() * 100, 1), 0.2),
                    IsProjected = Maybe(random.Next(4) == 0, 0.2),
                    IsProblem = Maybe(random.Next(6) == 0, 0.2),
                    IsCache = Maybe(random.Next(3) == 0, 0.2),
                });
            }
        }
        var shuffled = fixes.OrderBy(_ => random.Next()).ToList();
        var batches = new List<List<SilverFix>>();
        for (var at = 0; at < shuffled.Count;)
        {
            var size = Math.Min(random.Next(1, 400), shuffled.Count - at);
            batches.Add(shuffled.GetRange(at, size));
            at += size;
        }
        return (fixes, batches);
    }

    private static double? Avg(IEnumerable<double?> values)
    {
        var present = values.Where(v => v is not null).Select(v => v!.Value).ToList();
        return present.Count == 0 ? null : present.Average();
    }

    /// <summary>The rule exactly as DATA_CONTRACT.md §4 writes it.</summary>
    private static string NaiveRoundLength(int nines, int? maxSection)
    {
        if (nines >= 3 || (maxSection ?? 0) > 54) return "27";
        if (nines == 2 || (maxSection ?? 0) > 27) return "18";
        if (nines == 1) return "9";
        return "unknown";
    }

    private static Dictionary<string, object?> NaiveFactRound(string roundId, List<SilverFix> fixes)
    {
        var stamps = fixes.Where(f => f.Ts is not null).Select(f => f.Ts!.Value).ToList();
        DateTimeOffset? start = stamps.Count == 0 ? null : stamps.Min();
        DateTimeOffset? end = stamps.Count == 0 ? null : stamps.Max();
        var nines = fixes.Where(f => f.Nine is not null).Select(f => f.Nine).Distinct().Count();
        var maxSection = fixes.Max(f => f.Section);
        var batteries = fixes.Where(f => f.Battery is not null).Select(f => f.Battery!.Value).ToList();
        double n = fixes.Count;
        return new Dictionary<string, object?>
        {
            ["course_id"] = fixes[0].CourseId,
            ["round_id"] = roundId,
            ["round_start_ts"] = start,
            ["round_end_ts"] = end,
            ["duration_sec"] = start is null ? null : (end!.Value - start.Value).TotalSeconds,
            ["fix_count"] = (long)fixes.Count,
            ["ts_missing_fix_count"] = (long)fixes.Count(f => f.Ts is null),
            ["holes_played"] = fixes.Where(f => f.Hole is not null).Select(f => f.Hole).Distinct().Count(),
            ["nines_played"] = nines,
            ["start_hole"] = fixes.Select(f => f.StartHole).FirstOrDefault(v => v is not null),
            ["is_nine_hole"] = fixes.Select(f => f.IsNineHole).FirstOrDefault(v => v is not null),
            ["is_complete"] = fixes.Select(f => f.IsComplete).FirstOrDefault(v => v is not null),
            ["avg_pace_sec"] = Avg(fixes.Select(f => f.Pace)),
            ["max_pace_sec"] = fixes.Max(f => f.Pace),
            ["avg_pace_gap_sec"] = Avg(fixes.Select(f => f.PaceGap)),
            ["avg_positional_gap"] = Avg(fixes.Select(f => f.PositionalGap)),
            ["projected_fix_count"] = (long)fixes.Count(f => f.IsProjected == true),
            ["problem_fix_count"] = (long)fixes.Count(f => f.IsProblem == true),
            ["cached_fix_count"] = (long)fixes.Count(f => f.IsCache == true),
            ["min_battery"] = batteries.Count == 0 ? null : batteries.Min(),
            ["avg_battery"] = batteries.Count == 0 ? null : batteries.Average(),
            ["low_battery_fix_count"] = (long)batteries.Count(b => b < 20),
            ["critical_battery_fix_count"] = (long)batteries.Count(b => b < 10),
            ["projected_rate"] = fixes.Count(f => f.IsProjected == true) / n,
            ["problem_rate"] = fixes.Count(f => f.IsProblem == true) / n,
            ["cached_rate"] = fixes.Count(f => f.IsCache == true) / n,
            ["round_length"] = NaiveRoundLength(nines, maxSection),
        };
    }

    private async Task<List<Dictionary<string, object?>>> MaterializeAsync(string asset, string course)
    {
        await _lake.MaterializeAsync(ModelLake.RepositoryModels, asset, course);
        return await _lake.RowsAsync(asset.Replace('/', '.'), course);
    }

    private static void AssertSameRows(IEnumerable<Dictionary<string, object?>> expected, IEnumerable<Dictionary<string, object?>> actual, string key)
    {
        var want = expected.OrderBy(r => (string)r[key]!, StringComparer.Ordinal).ThenBy(r => r.GetValueOrDefault("fix_timestamp")?.ToString()).ThenBy(r => r.GetValueOrDefault("battery_percentage")).ToList();
        var got = actual.OrderBy(r => (string)r[key]!, StringComparer.Ordinal).ThenBy(r => r.GetValueOrDefault("fix_timestamp")?.ToString()).ThenBy(r => r.GetValueOrDefault("battery_percentage")).ToList();
        Assert.Equal(want.Count, got.Count);
        for (var i = 0; i < want.Count; i++)
        {
            Assert.Equal(want[i].Keys.Order(), got[i].Keys.Order());
            foreach (var (column, value) in want[i])
            {
                var other = got[i][column];
                if (value is double d && other is double g)
                    Assert.True(Math.Abs(d - g) <= 1e-9 * Math.Max(1, Math.Abs(d)), $"{want[i][key]}.{column}: expected {d}, got {g}");
                else
                    Assert.True(Equals(value, other), $"{want[i][key]}.{column}: expected {value ?? "null"}, got {other ?? "null"}");
            }
        }
    }

    [Theory]
    [InlineData(7)]
    [InlineData(2024)]
    public async Task FourTables_AgreeWithANaiveComputation_OnRandomInput(int seed)
    {
        var (fixes, batches) = RandomSilver(seed);
        await SilverFix.WriteAsync(_lake.Tables, batches);
        var course = fixes.Where(f => f.CourseId == "erinhills").ToList();
        var byRound = course.GroupBy(f => f.RoundId).ToDictionary(g => g.Key, g => g.ToList());
        var factRounds = byRound.Select(g => NaiveFactRound(g.Key, g.Value)).ToList();

        AssertSameRows(factRounds, await MaterializeAsync("gold/fact_rounds", "erinhills"), "round_id");

        var pace = factRounds.Select(r => new Dictionary<string, object?>
        {
            ["course_id"] = r["course_id"], ["round_id"] = r["round_id"], ["round_start_ts"] = r["round_start_ts"], ["round_end_ts"] = r["round_end_ts"],
            ["fix_count"] = r["fix_count"], ["avg_pace"] = r["avg_pace_sec"], ["avg_pace_gap"] = r["avg_pace_gap_sec"], ["avg_positional_gap"] = r["avg_positional_gap"],
        });
        AssertSameRows(pace, await MaterializeAsync("gold/pace_summary_by_round", "erinhills"), "round_id");

        var signal = factRounds.Select(r => new Dictionary<string, object?>
        {
            ["course_id"] = r["course_id"], ["round_id"] = r["round_id"], ["fix_count"] = r["fix_count"],
            ["projected_fix_count"] = r["projected_fix_count"], ["problem_fix_count"] = r["problem_fix_count"],
            ["projected_rate"] = r["projected_rate"], ["problem_rate"] = r["problem_rate"],
        });
        AssertSameRows(signal, await MaterializeAsync("gold/signal_quality_rounds", "erinhills"), "round_id");

        var errors = course.Where(f => f.Battery < 20).Select(f => new Dictionary<string, object?>
        {
            ["course_id"] = f.CourseId, ["round_id"] = f.RoundId, ["fix_timestamp"] = f.Ts, ["battery_percentage"] = f.Battery,
            ["health_flag"] = f.Battery < 10 ? "battery_critical" : "battery_low",
        }).ToList();
        Assert.NotEmpty(errors);
        AssertSameRows(errors, await MaterializeAsync("gold/device_health_errors", "erinhills"), "round_id");
    }

    /// <summary>
    /// Rounds landed in one to three ingests, each ingest holding a random subset of the round's slots with its own flags, battery
    /// and round-level fields (one value per round and ingest); files shuffled across ingests.
    /// </summary>
    private static List<List<SilverFix>> RandomReexports(int seed)
    {
        var random = new Random(seed);
        var days = new[] { new DateOnly(2025, 6, 1), new DateOnly(2025, 6, 2), new DateOnly(2025, 6, 3) };
        var files = days.ToDictionary(d => d, _ => new List<SilverFix>());
        for (var r = 0; r < 200; r++)
        {
            var slots = random.Next(1, 40);
            var start = Base.AddMinutes(random.Next(0, 60 * 24 * 30));
            foreach (var day in days.Where(_ => random.Next(3) > 0).DefaultIfEmpty(days[1]))
            {
                bool? complete = random.Next(3) == 0 ? null : random.Next(2) == 0;
                int? startHole = random.Next(3) == 0 ? null : random.Next(1, 19);
                for (var i = 0; i < slots; i++)
                {
                    if (random.Next(4) == 0) continue;
                    files[day].Add(new SilverFix($"round-{r:D4}", i, random.Next(8) == 0 ? null : start.AddSeconds(i * 300 + random.Next(0, 60)))
                    {
                        IngestDate = day,
                        Hole = i / 3 + 1,
                        Nine = i < 27 ? 1 : 2,
                        Section = i + 1,
                        StartHole = startHole,
                        IsComplete = complete,
                        Pace = random.Next(4) == 0 ? null : random.Next(-300, 300),
                        // Few distinct batteries, so ties (decided by the later ingest) happen.
                        Battery = random.Next(5) == 0 ? null : random.Next(0, 6) * 10,
                        IsProjected = random.Next(4) == 0 ? null : random.Next(2) == 0,
                        IsCache = random.Next(4) == 0 ? null : random.Next(3) == 0,
                    });
                }
            }
        }
        // Cut each ingest into a few files and shuffle the files, so neither file order nor ingest order decides.
        return files.Values.SelectMany(f => f.Chunk(97).Select(c => c.ToList())).OrderBy(_ => random.Next()).ToList();
    }

    /// <summary>The §4 rule read literally: per (round, slot) the copy ranked by is_cache, not is_projected, battery, then ingest date.</summary>
    private static List<SilverFix> NaiveOnceAcrossIngests(IEnumerable<SilverFix> fixes) => fixes
        .GroupBy(f => (f.RoundId, f.LocationIndex))
        .Select(g => g.OrderByDescending(f => f.IsCache == true).ThenByDescending(f => f.IsProjected == false)
            .ThenByDescending(f => f.Battery ?? double.NegativeInfinity).ThenByDescending(f => f.IngestDate).First())
        .ToList();

    [Theory]
    [InlineData(11)]
    [InlineData(4242)]
    public async Task RoundsExportedOnSeveralDays_AgreeWithANaiveOncePerFixComputation(int seed)
    {
        var files = RandomReexports(seed);
        await SilverFix.WriteAsync(_lake.Tables, files);
        var all = files.SelectMany(f => f).ToList();
        var kept = NaiveOnceAcrossIngests(all);
        var expected = kept.GroupBy(f => f.RoundId).Select(g =>
        {
            // Round-level fields come from the round's latest ingest (one value per round and ingest in this input).
            var latest = all.Where(f => f.RoundId == g.Key).MaxBy(f => f.IngestDate)!;
            return NaiveFactRound(g.Key, g.Select(f => f with { StartHole = latest.StartHole, IsComplete = latest.IsComplete }).ToList());
        }).ToList();

        AssertSameRows(expected, await MaterializeAsync("gold/fact_rounds", "erinhills"), "round_id");

        var errors = kept.Where(f => f.Battery < 20).Select(f => new Dictionary<string, object?>
        {
            ["course_id"] = f.CourseId, ["round_id"] = f.RoundId, ["fix_timestamp"] = f.Ts, ["battery_percentage"] = f.Battery,
            ["health_flag"] = f.Battery < 10 ? "battery_critical" : "battery_low",
        }).ToList();
        AssertSameRows(errors, await MaterializeAsync("gold/device_health_errors", "erinhills"), "round_id");
    }

}
