using System.Text.Json;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>Issue 3 as a user checks it: what the Silver materializations say they wrote, set aside and dropped agrees with the tables and the quarantine reports.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class SilverAccountingTests(ErinIndianDemo demo) : IClassFixture<ErinIndianDemo>
{
    private const string Silver = "silver/fact_telemetry_event";
    private TmlakeHome Home => demo.Home;

    public static TheoryData<string> Courses => ["erinhills", "indiancreek"];

    private static string StepOf(string course) => $"{Silver}[{DemoLake.PartitionOf(course)}]";

    [Theory]
    [MemberData(nameof(Courses))]
    public async Task SilverMetadata_AgreesWithTheTable_ForEachPartition(string course)
    {
        var report = await RunReport.LoadAsync(Home, demo.RunId);
        var step = StepOf(course);

        var rowsOut = report.Number(step, "rows_out");
        Assert.Equal(rowsOut, await Home.CountAsync(Silver, DemoLake.PartitionOf(course)));
        Assert.Equal(report.Number(step, "rows_in"), rowsOut + report.Number(step, "rows_quarantined") + report.Number(step, "rows_deduplicated"));
        Assert.True(report.Number(step, "rows_deduplicated") > 0, "the sample data repeats fixes, so some rows must be deduplicated");

        // Deduplication left one row per (round_id, location_index) in what was written.
        var files = await LakeReaders.CurrentFilesAsync(Home, "silver.fact_telemetry_event");
        var where = $"WHERE course_id = '{course}'";
        Assert.Equal(rowsOut, await LakeReaders.DuckDbScalarAsync(files, $"SELECT count(*) FROM t {where}"));
        Assert.Equal(rowsOut, await LakeReaders.DuckDbScalarAsync(files, $"SELECT count(*) FROM (SELECT DISTINCT round_id, location_index FROM t {where})"));
    }

    [Theory]
    [MemberData(nameof(Courses))]
    public async Task QuarantineReport_CountsTheRowsTheMaterializationSetAside(string course)
    {
        var report = await RunReport.LoadAsync(Home, demo.RunId);
        var step = StepOf(course);
        var quarantined = report.Number(step, "rows_quarantined");
        Assert.True(quarantined > 0, "the sample data has out-of-range coordinates, so some rows must be quarantined");
        var reasons = JsonSerializer.Deserialize<Dictionary<string, long>>(report.Step(step)["quarantine_reasons"])!;
        Assert.Equal(quarantined, reasons.Values.Sum());

        var key = report.Step(step)["quarantine_report"];
        var reportFile = Path.Combine(Home.Bucket("tm-quarantine"), key);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(reportFile));
        var root = json.RootElement;
        Assert.Equal(demo.RunId, root.GetProperty("run_id").GetString());
        Assert.False(root.GetProperty("step_failed").GetBoolean());
        Assert.Equal(quarantined, root.GetProperty("rows_quarantined").GetInt64());
        Assert.Equal(report.Number(step, "rows_in"), root.GetProperty("rows_in").GetInt64());
        Assert.Equal(reasons.OrderBy(r => r.Key), root.GetProperty("reason_counts").EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetInt64())).OrderBy(r => r.Key));

        var rowsFile = Path.Combine(Path.GetDirectoryName(reportFile)!, "rows.parquet");
        Assert.Equal(quarantined, await LakeReaders.DuckDbScalarAsync([rowsFile], "SELECT count(*) FROM t"));
    }

    [Fact]
    public async Task DemoSummary_ShowsTheSameSilverAndQuarantineCounts()
    {
        var report = await RunReport.LoadAsync(Home, demo.RunId);
        foreach (var course in demo.Courses)
        {
            var line = demo.DemoOutput.Split('\n').Single(l => l.StartsWith(course + " ", StringComparison.Ordinal));
            var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(c => c.Replace(",", "", StringComparison.Ordinal)).ToArray();
            Assert.Equal((await Home.CountAsync(Silver, course)).ToString(System.Globalization.CultureInfo.InvariantCulture), cells[2]);
            Assert.Equal(report.Number(StepOf(course), "rows_quarantined").ToString(System.Globalization.CultureInfo.InvariantCulture), cells[3]);
        }
        Assert.Equal(demo.Courses.Sum(c => report.Number(StepOf(c), "rows_out")), await Home.CountAsync(Silver));
    }
}
