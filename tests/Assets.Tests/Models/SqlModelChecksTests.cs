using Lakehouse.Core.Objects;
using Lakehouse.Core.Quality;
using TmLakehouse.Assets.Models;

namespace TmLakehouse.Assets.Tests.Models;

/// <summary>Each dbt-style test kind failing on purpose: its check result, the rows in the report, and whether the table was written.</summary>
public sealed class SqlModelChecksTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly ModelLake _lake = new();
    private readonly string _models;

    public SqlModelChecksTests() => _models = _lake.CopyModels();

    public void Dispose() => _lake.Dispose();

    private void Write(string relative, string text) => File.WriteAllText(Path.Combine(_models, relative), text);

    /// <summary>30 fixes of round r1 (battery 0..29) and one of r2 without a time.</summary>
    private Task SilverAsync() => SilverFix.WriteAsync(_lake.Tables,
        [Enumerable.Range(0, 30).Select(i => new SilverFix("r1", i, Noon.AddMinutes(i)) { Battery = i, Hole = 1 + i / 10 }).Append(new SilverFix("r2", 0, null) { Battery = 50 })]);

    private const string Fixes = "SELECT course_id, round_id, location_index, battery_percentage, hole_number FROM ref('silver.fact_telemetry_event')\n";

    [Fact]
    public async Task EachTestKind_CountsItsFailingRows_AndTheReportHoldsAtMostTwentyOfThem()
    {
        await SilverAsync();
        Write("gold/fixes.sql", Fixes);
        Write("gold/fixes.yml", """
            columns:
              - name: round_id
                tests: [unique, {relationships: {to: gold.fact_rounds, field: round_id, severity: warn}}]
              - name: hole_number
                tests: [{not_null: {severity: warn}}, {accepted_values: {values: [1, 2], severity: warn}}]
              - name: battery_percentage
                tests: [{accepted_range: {min: 5, max: 40, severity: warn}}]
            tests:
              - unique: {columns: [round_id, location_index]}
              - expression: {name: charged, expression: "battery_percentage >= 25", severity: warn}
            """);
        Write("tests/r2_has_no_hole.sql", "---\nseverity: warn\n---\nSELECT * FROM ref('gold.fixes') WHERE round_id = 'r2'\n");
        await _lake.MaterializeAsync(_models, "gold/fact_rounds", "erinhills");

        var result = await _lake.MaterializeAsync(_models, "gold/fixes", "erinhills");

        var failing = result.CheckResults.ToDictionary(c => c.CheckName, c => c.Metadata["failing_rows"].Display());
        Assert.Equal(new Dictionary<string, string>
        {
            ["unique_round_id"] = "1", // one duplicated value: r1, 30 times
            ["relationships_round_id_to_gold_fact_rounds"] = "0",
            ["not_null_hole_number"] = "1",
            ["accepted_values_hole_number"] = "10", // hole 3 (slots 20-29)
            ["accepted_range_battery_percentage"] = "6", // 0..4 below 5, r2's 50 above 40
            ["unique_round_id_location_index"] = "0",
            ["charged"] = "25",
            ["r2_has_no_hole"] = "1",
        }, failing);
        Assert.False(Assert.Single(result.CheckResults, c => c.CheckName == "unique_round_id").Passed);
        Assert.True(result.CheckResults.Single(c => c.CheckName == "unique_round_id").StopsDownstream);
        Assert.Equal("false", result.Metadata["committed"].Display());
        Assert.Null(await _lake.Tables.LoadAsync(new Lakehouse.Core.Tables.TableIdentifier("gold", "fixes"), CancellationToken.None));

        var writer = new QuarantineWriter(_lake.Objects);
        var key = Assert.Single(await writer.ListReportKeysAsync("gold/model=fixes/", CancellationToken.None));
        Assert.Equal("gold/model=fixes/course_id=erinhills/run_id=run-1/report.json", key);
        Assert.Equal(key, result.Metadata["quarantine_report"].Display());
        var report = await writer.ReadAsync(key, CancellationToken.None);
        Assert.True(report.StepFailed);
        Assert.Equal(31, report.RowsIn);
        Assert.Equal(1 + 1 + 10 + 6 + 20 + 1, report.SampleRows.Count);
        Assert.Equal(20, report.SampleRows.Count(r => r["_test"].GetString() == "charged"));
        Assert.Contains("error test unique_round_id (models/gold/fixes.yml line 3)", report.Error);
    }

    [Fact]
    public async Task ATestWhoseSqlCannotRun_FailsTheStep_NamingThatTestAndWhereItIsDeclared_ThoughTheOthersRunInOneQuery()
    {
        await SilverAsync();
        Write("gold/fixes.sql", Fixes);
        Write("gold/fixes.yml", """
            tests:
              - expression: {name: charged, expression: "battery_percentage >= 0"}
              - expression: {name: broken, expression: "no_such_column > 0"}
            """);

        var error = await Assert.ThrowsAsync<SqlModelException>(() => _lake.MaterializeAsync(_models, "gold/fixes", "erinhills"));

        Assert.Contains("fixes.yml line 3", error.Message);
        Assert.Contains("test broken cannot run", error.Message);
        Assert.Contains("no_such_column", error.Message);
    }

    [Fact]
    public async Task WarnOnlyFailures_WriteTheTable_AndAReportThatDoesNotFailTheStep()
    {
        await SilverAsync();
        Write("gold/fixes.sql", Fixes);
        Write("gold/fixes.yml", "tests:\n  - expression: {name: charged, expression: \"battery_percentage >= 25\", severity: warn}\n");

        var result = await _lake.MaterializeAsync(_models, "gold/fixes", "erinhills");

        var check = Assert.Single(result.CheckResults);
        Assert.False(check.Passed);
        Assert.False(check.StopsDownstream);
        Assert.Equal("true", result.Metadata["committed"].Display());
        Assert.Equal(31, (await _lake.RowsAsync("gold.fixes", "erinhills")).Count);
        var report = await new QuarantineWriter(_lake.Objects).ReadAsync(result.Metadata["quarantine_report"].Display(), CancellationToken.None);
        Assert.False(report.StepFailed);
        Assert.Equal(25, report.RowsQuarantined);
    }

    [Fact]
    public async Task MetadataFigures_AreAggregatesOverTheModelsResult_OneQueryPerFilter()
    {
        await SilverAsync();
        Write("gold/fixes.sql", Fixes);
        Write("gold/fixes.yml", """
            metadata:
              - {name: low_battery_fixes, expression: "count(*)", where: "battery_percentage < 10"}
              - {name: worst_low_battery, expression: "min(battery_percentage)", where: "battery_percentage < 10"}
              - {name: mean_battery, expression: "avg(battery_percentage)"}
              - {name: holes, expression: "count(DISTINCT hole_number)"}
              - {name: none_above, expression: "max(battery_percentage)", where: "battery_percentage > 100"}
            """);

        var result = await _lake.MaterializeAsync(_models, "gold/fixes", "erinhills");

        Assert.Equal(10, result.Metadata["low_battery_fixes"].Value.GetInt64()); // batteries 0..9 of r1
        Assert.Equal(0.0, result.Metadata["worst_low_battery"].Value.GetDouble());
        Assert.Equal((29 * 30 / 2 + 50) / 31.0, result.Metadata["mean_battery"].Value.GetDouble(), 12);
        Assert.Equal(3, result.Metadata["holes"].Value.GetInt64());                 // holes 1, 2, 3 (r2's null hole is not counted)
        Assert.Equal(System.Text.Json.JsonValueKind.Null, result.Metadata["none_above"].Value.ValueKind);
    }

    [Fact]
    public async Task Rerun_ReplacesOnlyItsCoursesRows_AndRecordsTheSqlHash()
    {
        await SilverFix.WriteAsync(_lake.Tables, [[new SilverFix("r1", 0, Noon), new SilverFix("x1", 0, Noon) { CourseId = "other" }]]);
        await _lake.MaterializeAsync(_models, "gold/fact_rounds", "other");
        var first = await _lake.MaterializeAsync(_models, "gold/fact_rounds", "erinhills");
        var second = await _lake.MaterializeAsync(_models, "gold/fact_rounds", "erinhills");

        Assert.Single(await _lake.RowsAsync("gold.fact_rounds", "erinhills"));
        Assert.Single(await _lake.RowsAsync("gold.fact_rounds", "other"));
        Assert.Equal(first.Metadata["code_version"].Display(), second.Metadata["code_version"].Display());
        var table = (await _lake.Tables.LoadAsync(new Lakehouse.Core.Tables.TableIdentifier("gold", "fact_rounds"), CancellationToken.None))!;
        var current = (await table.HistoryAsync(CancellationToken.None))[^1];
        Assert.Equal(first.Metadata["code_version"].Display(), current.Summary["tm.code-version"]);
        Assert.Equal("1", second.Metadata["rows_out"].Display());
    }
}
