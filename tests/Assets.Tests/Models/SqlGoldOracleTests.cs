namespace TmLakehouse.Assets.Tests.Models;

/// <summary>
/// The four Gold tables as SQL models give the output of the C# Gold they replaced, on the same Silver rows: random rounds, some
/// exported again on later days with differing copies (cache flag, projection, battery), nulls everywhere a column allows them,
/// two courses. The C# Gold's rows on this input were written to <c>Expected/csharp-gold-seed17.json</c> (types kept) before it
/// was deleted. Everything but floating-point means is compared exactly; means (summed in another order) to 12 significant digits.
/// </summary>
public sealed class SqlGoldOracleTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2025, 5, 30, 7, 0, 0, TimeSpan.Zero);
    private readonly ModelLake _lake = new();

    public void Dispose() => _lake.Dispose();

    /// <summary>Seeded rounds over three ingest days; about a third are re-exported with changed copies.</summary>
    private static List<List<SilverFix>> RandomSilver(int seed)
    {
        var random = new Random(seed);
        var days = new[] { new DateOnly(2025, 5, 30), new DateOnly(2025, 5, 31), new DateOnly(2025, 6, 1) };
        var files = days.Select(_ => new List<SilverFix>()).ToList();
        T? Maybe<T>(T value) where T : struct => random.NextDouble() < 0.15 ? null : value;
        for (var r = 0; r < 60; r++)
        {
            var course = r % 5 == 0 ? "indiancreek" : "erinhills";
            var fixes = random.Next(1, 90);
            var firstDay = random.Next(0, 3);
            var exports = random.NextDouble() < 0.35 ? random.Next(1, 3 - firstDay + 1) : 1;
            var startHole = Maybe(random.Next(1, 19));
            for (var e = 0; e < exports; e++)
            {
                var day = firstDay + e;
                var upTo = e == exports - 1 ? fixes : random.Next(1, fixes + 1);
                for (var i = 0; i < upTo; i++)
                {
                    var hole = Maybe(1 + i / 5 % 27);
                    files[day].Add(new SilverFix($"r{r:D3}", i, random.NextDouble() < 0.1 ? null : Start.AddDays(day).AddSeconds(r * 3600 + i * 60 + random.Next(0, 30)))
                    {
                        CourseId = course,
                        IngestDate = days[day],
                        Hole = hole,
                        Nine = hole is { } h ? Maybe(1 + (h - 1) / 9) : null,
                        Section = Maybe(1 + i % 70),
                        StartHole = e == exports - 1 ? startHole : Maybe(1),
                        IsNineHole = Maybe(random.NextDouble() < 0.3),
                        IsComplete = e == exports - 1 ? Maybe(true) : Maybe(false),
                        Pace = Maybe(Math.Round(random.NextDouble() * 600 - 300, 3)),
                        PaceGap = Maybe(Math.Round(random.NextDouble() * 400, 2)),
                        PositionalGap = Maybe(Math.Round(random.NextDouble() * 3, 4)),
                        // Few distinct levels, so copies tie on battery and the later ingest must win.
                        Battery = Maybe((double)random.Next(0, 8) * 4),
                        IsProjected = Maybe(random.NextDouble() < 0.3),
                        IsProblem = Maybe(random.NextDouble() < 0.1),
                        IsCache = Maybe(random.NextDouble() < 0.2),
                    });
                }
            }
        }
        return files;
    }

    public static TheoryData<string> Tables => ["gold/fact_rounds", "gold/pace_summary_by_round", "gold/signal_quality_rounds", "gold/device_health_errors"];

    [Theory]
    [MemberData(nameof(Tables))]
    public async Task SqlModel_WritesTheRowsTheCSharpGoldWrote(string asset)
    {
        await SilverFix.WriteAsync(_lake.Tables, RandomSilver(17));
        var table = asset.Replace('/', '.');
        var golden = Path.Combine(ModelLake.RepositoryRoot(), "tests", "Assets.Tests", "Models", "Expected", "csharp-gold-seed17.json");
        foreach (var course in new[] { "erinhills", "indiancreek" })
        {
            var expected = GoldenRows.Read(golden, table, course);
            Assert.NotEmpty(expected);

            // fact_rounds first: two of the models read it.
            if (asset != "gold/fact_rounds") await _lake.MaterializeAsync(ModelLake.RepositoryModels, "gold/fact_rounds", course);
            var result = await _lake.MaterializeAsync(ModelLake.RepositoryModels, asset, course);
            var actual = Sorted(await _lake.RowsAsync(table, course));

            Assert.All(result.CheckResults, c => Assert.True(c.Passed || c.Severity == Lakehouse.Core.Quality.AssetCheckSeverity.Warn, $"{c.CheckName}: {c.Description}"));
            Assert.Equal(expected.Count, actual.Count);
            Assert.Equal(expected[0].Keys.ToList(), actual[0].Keys.ToList());
            for (var i = 0; i < expected.Count; i++)
                foreach (var (column, value) in expected[i])
                    AssertSame(value, actual[i][column], $"{course} row {i} ({expected[i]["round_id"]}) column {column}");
        }
    }

    private static List<Dictionary<string, object?>> Sorted(List<Dictionary<string, object?>> rows) =>
        rows.OrderBy(r => (string)r["round_id"]!, StringComparer.Ordinal)
            .ThenBy(r => r.GetValueOrDefault("fix_timestamp") as DateTimeOffset?)
            .ThenBy(r => r.GetValueOrDefault("battery_percentage") as double?)
            .ToList();

    private static void AssertSame(object? expected, object? actual, string where)
    {
        if (expected is double e && actual is double a)
        {
            Assert.True(e == a || Math.Abs(e - a) <= 1e-12 * Math.Max(Math.Abs(e), Math.Abs(a)), $"{where}: C# {e:R}, SQL {a:R}");
            return;
        }
        Assert.True(Equals(expected, actual), $"{where}: C# {expected ?? "null"}, SQL {actual ?? "null"}");
    }
}
