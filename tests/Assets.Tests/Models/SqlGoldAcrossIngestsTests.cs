using Lakehouse.Core.Tables;
using TmLakehouse.Assets.Tests.Fakes;

namespace TmLakehouse.Assets.Tests.Models;

/// <summary>DATA_CONTRACT.md §4 "One fix, one count": a round exported again on a later day is counted once, by hand-checked figures.</summary>
public sealed class SqlGoldAcrossIngestsTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Day1 = new(2025, 6, 1), Day2 = new(2025, 6, 2);
    private readonly ModelLake _lake = new();

    public void Dispose() => _lake.Dispose();

    /// <summary>
    /// Round r54 lands partial on day 1 (slots 0–25: battery 80 − i, pace 10, slots 0 and 1 cached, not complete) and complete on
    /// day 2 (slots 0–53: battery 70 − i/2, pace 20, none cached, complete). Kept: slots 0–1 from day 1 (cached), 2–19 from day 1
    /// (higher battery), 20 from day 2 (battery 60 on both days: the later ingest wins the tie), 21–53 from day 2.
    /// </summary>
    private static IEnumerable<SilverFix> R54()
    {
        for (var i = 0; i < 26; i++)
            yield return new SilverFix("r54", i, Noon.AddMinutes(i)) { IngestDate = Day1, Nine = 1, Section = i + 1, Pace = 10, Battery = 80 - i, IsCache = i < 2, IsProjected = false, IsComplete = false };
        for (var i = 0; i < 54; i++)
            yield return new SilverFix("r54", i, Noon.AddMinutes(i)) { IngestDate = Day2, Nine = i < 27 ? 1 : 2, Section = i + 1, Pace = 20, Battery = 70 - i / 2.0, IsCache = false, IsProjected = false, IsComplete = true };
    }

    /// <summary>
    /// Round rLow: slot 0 is battery 5 and cached on day 1 but 15 and not cached on day 2 (day 1 is kept: critical); slot 1 is battery
    /// 12 on both days (day 2 is kept, at its later timestamp); slot 2 only landed on day 2, at battery 30 (no row).
    /// </summary>
    private static IEnumerable<SilverFix> RLow() =>
    [
        new("rLow", 0, Noon) { IngestDate = Day1, Battery = 5, IsCache = true },
        new("rLow", 1, Noon) { IngestDate = Day1, Battery = 12 },
        new("rLow", 0, Noon.AddMinutes(1)) { IngestDate = Day2, Battery = 15, IsCache = false },
        new("rLow", 1, Noon.AddMinutes(1)) { IngestDate = Day2, Battery = 12 },
        new("rLow", 2, Noon.AddMinutes(1)) { IngestDate = Day2, Battery = 30 },
    ];

    private static readonly SilverFix OnceOnly = new("rOnce", 0, Noon) { IngestDate = Day2, Battery = 50, IsComplete = true };

    // Each ingest is its own data file, as two Silver partitions would be; day 2's file comes first so order cannot decide.
    private Task WriteSilverAsync() => SilverFix.WriteAsync(_lake.Tables,
        [R54().Where(f => f.IngestDate == Day2).Concat(RLow().Where(f => f.IngestDate == Day2)).Append(OnceOnly), R54().Where(f => f.IngestDate == Day1).Concat(RLow().Where(f => f.IngestDate == Day1))]);

    /// <summary>Materializes one SQL model of the repository for a course (fact_rounds first for the models that read it) and reads its rows.</summary>
    private async Task<(Lakehouse.Core.Execution.MaterializeResult Result, List<Dictionary<string, object?>> Rows)> RunAsync(string asset, string course = "erinhills")
    {
        if (asset is "gold/pace_summary_by_round" or "gold/signal_quality_rounds") await _lake.MaterializeAsync(ModelLake.RepositoryModels, "gold/fact_rounds", course);
        var result = await _lake.MaterializeAsync(ModelLake.RepositoryModels, asset, course);
        return (result, await _lake.RowsAsync(asset.Replace('/', '.'), course));
    }

    [Fact]
    public async Task FactRounds_CountsARoundExportedOnTwoDaysOnce_54FixesNot80_WithThePreferredCopies()
    {
        await WriteSilverAsync();

        var (result, rows) = await RunAsync("gold/fact_rounds");

        var r54 = Assert.Single(rows, r => (string?)r["round_id"] == "r54");
        Assert.Equal(54L, r54["fix_count"]);
        Assert.Equal(2L, r54["cached_fix_count"]);
        Assert.Equal(2, r54["nines_played"]);
        Assert.Equal("18", r54["round_length"]);
        Assert.Equal((20 * 10 + 34 * 20) / 54.0, (double)r54["avg_pace_sec"]!, 12);  // slots 0–19 from day 1, 20–53 from day 2
        Assert.Equal(43.5, r54["min_battery"]);                                        // day 2's slot 53
        Assert.Equal(true, r54["is_complete"]);                                         // the latest export describes the round
        Assert.Equal(Noon, r54["round_start_ts"]);
        Assert.Equal(Noon.AddMinutes(53), r54["round_end_ts"]);
        Assert.Equal(3L, Assert.Single(rows, r => (string?)r["round_id"] == "rLow")["fix_count"]);
        Assert.Equal(1L, Assert.Single(rows, r => (string?)r["round_id"] == "rOnce")["fix_count"]);
        Assert.Equal(86, result.Metadata["rows_in"].Value.GetProperty("silver.fact_telemetry_event").GetInt64()); // 26 + 54 + 5 + 1 Silver rows
        // From unique_telemetry_fix's metadata header, as the C# Gold reported them.
        Assert.Equal(28, result.Metadata["duplicate_fixes"].Value.GetInt64());  // 26 of r54 and 2 of rLow resolved away
        Assert.Equal(2, result.Metadata["reexported_rounds"].Value.GetInt64()); // r54 and rLow; rOnce landed once
    }

    [Fact]
    public async Task ACourseWhoseRoundsLandedOnce_ReportsNoDuplicates()
    {
        await SilverFix.WriteAsync(_lake.Tables, [[OnceOnly, new SilverFix("rOnce", 1, Noon.AddMinutes(1)) { IngestDate = Day2 }], [new SilverFix("rDay1", 0, Noon) { IngestDate = Day1 }]]);

        var (result, rows) = await RunAsync("gold/fact_rounds");

        Assert.Equal(2, rows.Count);
        Assert.Equal(0, result.Metadata["duplicate_fixes"].Value.GetInt64());
        Assert.Equal(0, result.Metadata["reexported_rounds"].Value.GetInt64());
    }

    [Fact]
    public async Task PaceSummaryAndSignalQuality_CountTheRoundOnce()
    {
        await WriteSilverAsync();

        var (_, pace) = await RunAsync("gold/pace_summary_by_round");
        var (_, signal) = await RunAsync("gold/signal_quality_rounds");

        Assert.Equal(54L, Assert.Single(pace, r => (string?)r["round_id"] == "r54")["fix_count"]);
        var quality = Assert.Single(signal, r => (string?)r["round_id"] == "r54");
        Assert.Equal(54L, quality["fix_count"]);
        Assert.Equal(0.0, quality["projected_rate"]);
    }

    [Fact]
    public async Task DeviceHealthErrors_HasOneRowPerLowBatteryFix_FromThePreferredCopy()
    {
        await WriteSilverAsync();

        var (result, rows) = await RunAsync("gold/device_health_errors");

        var got = rows.Select(r => ((string)r["round_id"]!, (DateTimeOffset?)r["fix_timestamp"], (double)r["battery_percentage"]!, (string)r["health_flag"]!))
            .OrderBy(r => r.Item3).ToList();
        Assert.Equal([("rLow", Noon, 5.0, "battery_critical"), ("rLow", Noon.AddMinutes(1), 12.0, "battery_low")], got);
        Assert.Equal(28, result.Metadata["duplicate_fixes"].Value.GetInt64());
        Assert.Equal(2, result.Metadata["reexported_rounds"].Value.GetInt64());
    }

}
