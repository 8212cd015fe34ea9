using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Tables;
using TmLakehouse.Assets.Tests.Fakes;

namespace TmLakehouse.Assets.Tests.Models;

/// <summary>The Gold SQL models' figures on a small hand-built Silver input, checked against values worked out by hand.</summary>
public sealed class SqlGoldFiguresTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2024, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly ModelLake _lake = new();

    public void Dispose() => _lake.Dispose();

    // Rounds are split over three batches (three data files), out of order within a round.
    private static readonly SilverFix[] Batch1 =
    [
        new("r9", 0, Noon) { Hole = 1, Nine = 1, Section = 1, StartHole = 1, IsNineHole = true, IsComplete = true, Pace = 10, PositionalGap = 2, Battery = 50, IsProjected = false, IsProblem = false, IsCache = true },
        new("r9", 1, Noon.AddMinutes(10)) { Hole = 2, Nine = 1, Section = 5, StartHole = 1, IsNineHole = true, IsComplete = true, Pace = 20, PaceGap = 4, Battery = 15, IsProjected = true, IsCache = false },
        new("r18", 0, Noon.AddHours(1)) { Hole = 1, Nine = 1, Section = 3, StartHole = 1, IsNineHole = false, IsComplete = false, Battery = 100 },
        new("x1", 0, Noon) { CourseId = "other", Hole = 1, Nine = 1, Section = 1, Battery = 5 },
    ];

    private static readonly SilverFix[] Batch2 =
    [
        new("r18", 2, Noon.AddHours(3.5)) { Hole = 10, Nine = 2, Section = 31, StartHole = 1, IsNineHole = false, IsComplete = false, Battery = 10 },
        new("r18", 1, Noon.AddHours(2)) { Hole = 10, Nine = 2, Section = 30, StartHole = 1, IsNineHole = false, IsComplete = false, Battery = 19.99 },
        new("r27a", 0, Noon) { Nine = 1, Section = 2, Battery = 20 },
        new("r27a", 1, Noon.AddHours(1)) { Nine = 2, Section = 29 },
        new("r27a", 2, Noon.AddHours(2)) { Nine = 3, Section = 50 },
        new("r27b", 0, Noon) { Section = 60 },
        new("r18b", 0, Noon) { Section = 40 },
        new("rUnknown", 0, null) { IsProjected = true },
        new("rUnknown", 1, null) { IsProblem = false },
    ];

    private static readonly SilverFix[] Batch3 =
    [
        new("r9", 2, null) { Hole = 2, Nine = 1, Section = 6, StartHole = 1, IsNineHole = true, IsComplete = true, PaceGap = 6, PositionalGap = 4, Battery = 8, IsProblem = true, IsCache = true },
        new("r9", 3, Noon.AddMinutes(-5)) { Pace = 30 },
        new("rSections", 0, Noon) { Nine = 1, Section = 28 },
        new("rEdge54", 0, Noon) { Nine = 2, Section = 54 },
    ];

    private Task WriteSilverAsync() => SilverFix.WriteAsync(_lake.Tables, [Batch1, Batch2, Batch3]);

    /// <summary>Materializes one SQL model of the repository for a course (fact_rounds first for the models that read it) and reads its rows.</summary>
    private async Task<(MaterializeResult Result, List<Dictionary<string, object?>> Rows)> RunAsync(string asset, string course = "erinhills")
    {
        if (asset is "gold/pace_summary_by_round" or "gold/signal_quality_rounds") await _lake.MaterializeAsync(ModelLake.RepositoryModels, "gold/fact_rounds", course);
        var result = await _lake.MaterializeAsync(ModelLake.RepositoryModels, asset, course);
        return (result, await _lake.RowsAsync(asset.Replace('/', '.'), course));
    }

    private static Dictionary<string, object?> Round(List<Dictionary<string, object?>> rows, string id) =>
        Assert.Single(rows, r => (string?)r["round_id"] == id);

    [Fact]
    public async Task FactRounds_MatchesHandComputedFigures_ForARoundSpreadOverBatches()
    {
        await WriteSilverAsync();

        var (_, rows) = await RunAsync("gold/fact_rounds");

        var r9 = Round(rows, "r9");
        Assert.Equal("erinhills", r9["course_id"]);
        Assert.Equal(Noon.AddMinutes(-5), r9["round_start_ts"]);
        Assert.Equal(Noon.AddMinutes(10), r9["round_end_ts"]);
        Assert.Equal(900.0, r9["duration_sec"]);
        Assert.Equal(4L, r9["fix_count"]);
        Assert.Equal(1L, r9["ts_missing_fix_count"]);
        Assert.Equal(2, r9["holes_played"]);
        Assert.Equal(1, r9["nines_played"]);
        Assert.Equal(1, r9["start_hole"]);
        Assert.Equal(true, r9["is_nine_hole"]);
        Assert.Equal(true, r9["is_complete"]);
        Assert.Equal(20.0, r9["avg_pace_sec"]);
        Assert.Equal(30.0, r9["max_pace_sec"]);
        Assert.Equal(5.0, r9["avg_pace_gap_sec"]);
        Assert.Equal(3.0, r9["avg_positional_gap"]);
        Assert.Equal(1L, r9["projected_fix_count"]);
        Assert.Equal(1L, r9["problem_fix_count"]);
        Assert.Equal(2L, r9["cached_fix_count"]);
        Assert.Equal(8.0, r9["min_battery"]);
        Assert.Equal(73.0 / 3, (double)r9["avg_battery"]!, 12);
        Assert.Equal(2L, r9["low_battery_fix_count"]);
        Assert.Equal(1L, r9["critical_battery_fix_count"]);
        Assert.Equal(0.25, r9["projected_rate"]);
        Assert.Equal(0.25, r9["problem_rate"]);
        Assert.Equal(0.5, r9["cached_rate"]);
        Assert.Equal("9", r9["round_length"]);
    }

    [Fact]
    public async Task FactRounds_LeavesAveragesNull_WhenEveryValueIsNull()
    {
        await WriteSilverAsync();

        var (_, rows) = await RunAsync("gold/fact_rounds");

        var r18 = Round(rows, "r18");
        Assert.Equal(9000.0, r18["duration_sec"]);
        Assert.Equal(2, r18["holes_played"]);
        Assert.Equal(2, r18["nines_played"]);
        Assert.Equal(false, r18["is_nine_hole"]);
        Assert.Null(r18["avg_pace_sec"]);
        Assert.Null(r18["max_pace_sec"]);
        Assert.Null(r18["avg_pace_gap_sec"]);
        Assert.Equal(10.0, r18["min_battery"]);
        Assert.Equal(2L, r18["low_battery_fix_count"]);
        Assert.Equal(0L, r18["critical_battery_fix_count"]);
        Assert.Equal(0.0, r18["projected_rate"]);

        var unknown = Round(rows, "rUnknown");
        Assert.Null(unknown["round_start_ts"]);
        Assert.Null(unknown["round_end_ts"]);
        Assert.Null(unknown["duration_sec"]);
        Assert.Equal(2L, unknown["ts_missing_fix_count"]);
        Assert.Equal(0, unknown["holes_played"]);
        Assert.Null(unknown["start_hole"]);
        Assert.Null(unknown["is_complete"]);
        Assert.Null(unknown["min_battery"]);
        Assert.Null(unknown["avg_battery"]);
        Assert.Equal(0.5, unknown["projected_rate"]);
        Assert.Equal(0.0, unknown["problem_rate"]);
    }

    [Theory]
    [InlineData("r9", "9")]          // one nine, max section 6
    [InlineData("r18", "18")]        // two nines
    [InlineData("r27a", "27")]       // three nines
    [InlineData("r27b", "27")]       // no nine, max section 60 > 54
    [InlineData("r18b", "18")]       // no nine, max section 40 > 27
    [InlineData("rSections", "18")]  // one nine but section 28 > 27: the section rule comes first
    [InlineData("rEdge54", "18")]    // one nine, section 54 is not > 54 but is > 27
    [InlineData("rUnknown", "unknown")]
    public async Task FactRounds_AppliesTheRoundLengthRule(string round, string length)
    {
        await WriteSilverAsync();

        var (_, rows) = await RunAsync("gold/fact_rounds");

        Assert.Equal(length, Round(rows, round)["round_length"]);
    }

    [Fact]
    public async Task FactRounds_ReportsRowsRoundsSnapshotAndSchema()
    {
        await WriteSilverAsync();

        var (result, rows) = await RunAsync("gold/fact_rounds");

        var m = result.Metadata;
        Assert.Equal(16, m["rows_in"].Value.GetProperty("silver.fact_telemetry_event").GetInt64()); // 3 + 9 + 4 erinhills rows; x1 belongs to another course
        Assert.Equal(8, m["rows_out"].Value.GetInt64());
        Assert.Equal(8, rows.Count);
        Assert.Equal("gold.fact_rounds", m["table"].Display());
        var table = (await _lake.Tables.LoadAsync(new TableIdentifier("gold", "fact_rounds"), CancellationToken.None))!;
        Assert.Equal((await table.HistoryAsync(CancellationToken.None))[^1].SnapshotId, m["snapshot_id"].Value.GetInt64());
        Assert.Equal(1, m["files_written"].Value.GetInt64());
        Assert.True(m["bytes_written"].Value.GetInt64() > 0);
        Assert.True(m.ContainsKey("duration_ms"));
        Assert.Equal(MetadataKind.TableSchema, m["schema"].Kind);
        Assert.Equal(rows[0].Keys, m["schema"].Value.EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Contains("round_start_ts timestamptz", m["schema"].Display());
    }

    [Fact]
    public async Task FactRounds_ReplacesOnlyItsCourse_WhenRunAgain()
    {
        await WriteSilverAsync();
        await RunAsync("gold/fact_rounds", "other");
        await RunAsync("gold/fact_rounds");

        var (result, rows) = await RunAsync("gold/fact_rounds");

        Assert.Equal(8, rows.Count);
        var table = (await _lake.Tables.LoadAsync(new TableIdentifier("gold", "fact_rounds"), CancellationToken.None))!;
        Assert.Equal(3, (await table.HistoryAsync(CancellationToken.None)).Count);
        var all = await InMemoryTableCatalog.ReadRowsAsync(table, new TableScan());
        Assert.Equal(9, all.Count);
        Assert.Equal("x1", Assert.Single(all, r => (string?)r["course_id"] == "other")["round_id"]);
    }

    [Fact]
    public async Task PaceSummary_CarriesEachRoundsSpanAndAverages()
    {
        await WriteSilverAsync();

        var (result, rows) = await RunAsync("gold/pace_summary_by_round");

        Assert.Equal(8, rows.Count);
        var r9 = Round(rows, "r9");
        Assert.Equal(Noon.AddMinutes(-5), r9["round_start_ts"]);
        Assert.Equal(Noon.AddMinutes(10), r9["round_end_ts"]);
        Assert.Equal(4L, r9["fix_count"]);
        Assert.Equal(20.0, r9["avg_pace"]);
        Assert.Equal(5.0, r9["avg_pace_gap"]);
        Assert.Equal(3.0, r9["avg_positional_gap"]);
        Assert.Equal("gold.pace_summary_by_round", result.Metadata["table"].Display());
    }

    [Fact]
    public async Task SignalQuality_CountsProjectedAndProblemFixes()
    {
        await WriteSilverAsync();

        var (_, rows) = await RunAsync("gold/signal_quality_rounds");

        var r9 = Round(rows, "r9");
        Assert.Equal(4L, r9["fix_count"]);
        Assert.Equal(1L, r9["projected_fix_count"]);
        Assert.Equal(1L, r9["problem_fix_count"]);
        Assert.Equal(0.25, r9["projected_rate"]);
        Assert.Equal(0.25, r9["problem_rate"]);
        Assert.Equal(0L, Round(rows, "r18")["projected_fix_count"]);
    }

    [Fact]
    public async Task DeviceHealthErrors_HasOneRowPerFixBelowTwentyPercent()
    {
        await WriteSilverAsync();

        var (result, rows) = await RunAsync("gold/device_health_errors");

        var got = rows.Select(r => ((string)r["round_id"]!, (DateTimeOffset?)r["fix_timestamp"], (double)r["battery_percentage"]!, (string)r["health_flag"]!))
            .OrderBy(r => r.Item1).ThenBy(r => r.Item3).ToList();
        Assert.Equal(
        [
            ("r18", Noon.AddHours(3.5), 10.0, "battery_low"),       // 10 is not below 10
            ("r18", Noon.AddHours(2), 19.99, "battery_low"),
            ("r9", null, 8.0, "battery_critical"),
            ("r9", Noon.AddMinutes(10), 15.0, "battery_low"),
        ], got);
        Assert.Equal(16, result.Metadata["rows_in"].Value.GetProperty("silver.fact_telemetry_event").GetInt64());
        Assert.Equal(4, result.Metadata["rows_out"].Value.GetInt64());
    }

    [Fact]
    public async Task FactRounds_CountsFixesRepeatedAcrossIngestsOnce()
    {
        SilverFix[] again =
        [
            new("r9", 0, Noon) { Battery = 50, IngestDate = new DateOnly(2025, 6, 2) },
            new("r9", 1, Noon.AddMinutes(10)) { Battery = 15, IngestDate = new DateOnly(2025, 6, 2) },
        ];
        await SilverFix.WriteAsync(_lake.Tables, [Batch1, Batch2, Batch3, again]);

        var (result, rows) = await RunAsync("gold/fact_rounds");

        Assert.Equal(4L, Round(rows, "r9")["fix_count"]);
    }

    [Theory]
    [InlineData(62, null)]
    [InlineData(63, "hole_number 1..63 is outside 0..62")]
    [InlineData(-1, "hole_number -1..1 is outside 0..62")]
    public async Task FactRounds_CountsHolesUpTo62_AndNamesTheRound_WhenAHoleIsOutsideTheMask(int hole, string? error)
    {
        SilverFix[] odd =
        [
            new("rOdd", 0, Noon) { Hole = 1, Nine = 1, Section = 1 },
            new("rOdd", 1, Noon.AddMinutes(5)) { Hole = hole, Nine = 1, Section = 2 },
        ];
        await SilverFix.WriteAsync(_lake.Tables, [Batch1, odd]);

        if (error is null)
        {
            var (_, rows) = await RunAsync("gold/fact_rounds");
            Assert.Equal(2, Round(rows, "rOdd")["holes_played"]);
            return;
        }
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => RunAsync("gold/fact_rounds"));
        Assert.Contains($"round rOdd: {error}", failure.Message);
    }

    [Fact]
    public async Task Gold_FailsWithTheTableName_WhenSilverDoesNotExist()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => _lake.MaterializeAsync(ModelLake.RepositoryModels, "gold/fact_rounds", "erinhills"));

        Assert.Contains("silver.fact_telemetry_event", error.Message);
    }

}
