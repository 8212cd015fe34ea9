using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Tables;
using TmLakehouse.Assets.Gold;
using TmLakehouse.Assets.Tests.Fakes;

namespace TmLakehouse.Assets.Tests.Gold;

/// <summary>Gold figures on a small hand-built Silver input, checked against values worked out by hand.</summary>
public sealed class GoldAssetsTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2024, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TestLake _lake = new();

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

    private async Task<(MaterializeResult Result, List<Dictionary<string, object?>> Rows)> RunAsync(AssetDefinition asset, TableDefinition table, string course = "erinhills")
    {
        var result = await asset.Compute.MaterializeAsync(_lake.Context(asset.Key, course), CancellationToken.None);
        var lake = (await _lake.Tables.LoadAsync(table.Id, CancellationToken.None))!;
        var rows = await InMemoryTableCatalog.ReadRowsAsync(lake, new TableScan { Filter = RowFilter.Where(("course_id", course)) });
        return (result, rows);
    }

    private static Dictionary<string, object?> Round(List<Dictionary<string, object?>> rows, string id) =>
        Assert.Single(rows, r => (string?)r["round_id"] == id);

    [Fact]
    public async Task FactRounds_MatchesHandComputedFigures_ForARoundSpreadOverBatches()
    {
        await WriteSilverAsync();

        var (_, rows) = await RunAsync(GoldFactRoundsAsset.Definition, GoldTables.FactRounds);

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

        var (_, rows) = await RunAsync(GoldFactRoundsAsset.Definition, GoldTables.FactRounds);

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

        var (_, rows) = await RunAsync(GoldFactRoundsAsset.Definition, GoldTables.FactRounds);

        Assert.Equal(length, Round(rows, round)["round_length"]);
    }

    [Fact]
    public async Task FactRounds_ReportsRowsRoundsSnapshotAndSchema()
    {
        await WriteSilverAsync();

        var (result, rows) = await RunAsync(GoldFactRoundsAsset.Definition, GoldTables.FactRounds);

        var m = result.Metadata;
        Assert.Equal(16, m["rows_in"].Value.GetInt64()); // 3 + 9 + 4 erinhills rows; x1 belongs to another course
        Assert.Equal(8, m["rows_out"].Value.GetInt64());
        Assert.Equal(8, m["rounds"].Value.GetInt64());
        Assert.Equal(8, rows.Count);
        Assert.Equal("gold.fact_rounds", m["table"].Display());
        var table = (await _lake.Tables.LoadAsync(GoldTables.FactRounds.Id, CancellationToken.None))!;
        Assert.Equal((await table.HistoryAsync(CancellationToken.None))[^1].SnapshotId, m["snapshot_id"].Value.GetInt64());
        Assert.Equal(1, m["files_written"].Value.GetInt64());
        Assert.True(m["bytes_written"].Value.GetInt64() > 0);
        Assert.True(m.ContainsKey("duration_ms"));
        Assert.Equal(MetadataKind.TableSchema, m["schema"].Kind);
        Assert.Equal(GoldTables.FactRounds.Schema.Fields.Select(f => f.Name),
            m["schema"].Value.EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Contains("round_start_ts timestamptz", m["schema"].Display());
    }

    [Fact]
    public async Task FactRounds_FreshnessWarns_OnlyWhenTheNewestFixIsOlderThanTwoDays()
    {
        var now = _lake.Clock.GetUtcNow();
        await SilverFix.WriteAsync(_lake.Tables,
        [
            [new("stale", 0, now.AddDays(-5)) { CourseId = "stalecourse" }, new("fresh", 0, now.AddDays(-1)) { CourseId = "freshcourse" }],
        ]);

        var (stale, _) = await RunAsync(GoldFactRoundsAsset.Definition, GoldTables.FactRounds, "stalecourse");
        var (fresh, _) = await RunAsync(GoldFactRoundsAsset.Definition, GoldTables.FactRounds, "freshcourse");

        var staleCheck = Assert.Single(stale.CheckResults, c => c.CheckName == "freshness");
        Assert.False(staleCheck.Passed);
        Assert.Equal(Lakehouse.Core.Quality.AssetCheckSeverity.Warn, staleCheck.Severity);
        Assert.False(staleCheck.StopsDownstream);
        Assert.Contains("5 day(s) old", staleCheck.Description);
        Assert.True(Assert.Single(fresh.CheckResults, c => c.CheckName == "freshness").Passed);
    }

    [Fact]
    public async Task FactRounds_ReplacesOnlyItsCourse_WhenRunAgain()
    {
        await WriteSilverAsync();
        await RunAsync(GoldFactRoundsAsset.Definition, GoldTables.FactRounds, "other");
        await RunAsync(GoldFactRoundsAsset.Definition, GoldTables.FactRounds);

        var (result, rows) = await RunAsync(GoldFactRoundsAsset.Definition, GoldTables.FactRounds);

        Assert.Equal(8, rows.Count);
        Assert.Equal(3, result.Metadata["snapshot_id"].Value.GetInt64());
        var table = (await _lake.Tables.LoadAsync(GoldTables.FactRounds.Id, CancellationToken.None))!;
        var all = await InMemoryTableCatalog.ReadRowsAsync(table, new TableScan());
        Assert.Equal(9, all.Count);
        Assert.Equal("x1", Assert.Single(all, r => (string?)r["course_id"] == "other")["round_id"]);
    }

    [Fact]
    public async Task PaceSummary_CarriesEachRoundsSpanAndAverages()
    {
        await WriteSilverAsync();

        var (result, rows) = await RunAsync(GoldPaceSummaryAsset.Definition, GoldTables.PaceSummaryByRound);

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

        var (_, rows) = await RunAsync(GoldSignalQualityAsset.Definition, GoldTables.SignalQualityRounds);

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

        var (result, rows) = await RunAsync(GoldDeviceHealthErrorsAsset.Definition, GoldTables.DeviceHealthErrors);

        var got = rows.Select(r => ((string)r["round_id"]!, (DateTimeOffset?)r["fix_timestamp"], (double)r["battery_percentage"]!, (string)r["health_flag"]!))
            .OrderBy(r => r.Item1).ThenBy(r => r.Item3).ToList();
        Assert.Equal(
        [
            ("r18", Noon.AddHours(3.5), 10.0, "battery_low"),       // 10 is not below 10
            ("r18", Noon.AddHours(2), 19.99, "battery_low"),
            ("r9", null, 8.0, "battery_critical"),
            ("r9", Noon.AddMinutes(10), 15.0, "battery_low"),
        ], got);
        Assert.Equal(16, result.Metadata["rows_in"].Value.GetInt64());
        Assert.Equal(4, result.Metadata["rows_out"].Value.GetInt64());
        Assert.Equal(2, result.Metadata["rounds"].Value.GetInt64());
    }

    [Fact]
    public async Task FactRounds_LogsCourseRowCountAndDuration()
    {
        await WriteSilverAsync();
        var sink = new CollectingSink();

        await GoldFactRoundsAsset.Definition.Compute.MaterializeAsync(
            _lake.Context(GoldFactRoundsAsset.Definition.Key, "erinhills", log: sink.Logger()), CancellationToken.None);

        var line = Assert.Single(sink.Events, e => e.Level == Serilog.Events.LogEventLevel.Information);
        Assert.Equal("\"erinhills\"", line.Properties["course_id"].ToString());
        Assert.Equal("8", line.Properties["row_count"].ToString());
        Assert.True(line.Properties.ContainsKey("duration_ms"));
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

        var (result, rows) = await RunAsync(GoldFactRoundsAsset.Definition, GoldTables.FactRounds);

        Assert.Equal(2, result.Metadata["duplicate_fixes"].Value.GetInt64());
        Assert.Equal(1, result.Metadata["reexported_rounds"].Value.GetInt64());
        Assert.Equal(4L, Round(rows, "r9")["fix_count"]);
    }

    [Fact]
    public async Task Gold_FailsWithTheTableName_WhenSilverDoesNotExist()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            GoldFactRoundsAsset.Definition.Compute.MaterializeAsync(_lake.Context(GoldFactRoundsAsset.Definition.Key, "erinhills"), CancellationToken.None));

        Assert.Contains("silver.fact_telemetry_event", error.Message);
    }

    [Fact]
    public void Definitions_ArePartitionedByCourse_AndReadEveryIngestOfTheirCourse()
    {
        Assert.Equal(["gold/fact_rounds", "gold/pace_summary_by_round", "gold/signal_quality_rounds", "gold/device_health_errors"],
            GoldAssets.All.Select(a => a.Key.Value));
        foreach (var asset in GoldAssets.All)
        {
            Assert.Equal(["course_id"], asset.Spec.Partitions!.DimensionNames);
            var dep = Assert.Single(asset.Spec.Deps);
            Assert.Equal("silver/fact_telemetry_event", dep.Key.Value);
            var upstream = dep.Mapping!.UpstreamKeys(new("erinhills"),
                [new("course_id=erinhills,ingest_date=2025-06-01"), new("course_id=other,ingest_date=2025-06-01"), new("course_id=erinhills,ingest_date=2025-06-02")]);
            Assert.Equal(2, upstream.Count);
        }
    }
}
