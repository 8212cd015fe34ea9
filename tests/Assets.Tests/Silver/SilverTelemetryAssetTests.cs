using Lakehouse.Core.Assets;
using Lakehouse.Core.Config;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Partitions;
using Lakehouse.Core.Quality;
using Microsoft.Extensions.Time.Testing;
using TmLakehouse.Assets.Bronze;
using TmLakehouse.Assets.SampleData;
using TmLakehouse.Assets.Silver;

namespace Assets.Tests.Silver;

public sealed class SilverTelemetryAssetTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("silver-asset-").FullName;
    private readonly CollectingCatalog _catalog = new();
    private LakehouseOptions _options;
    private readonly LocalObjectStoreProvider _objects;

    public SilverTelemetryAssetTests()
    {
        _options = new LakehouseOptions { Home = _home };
        _objects = new LocalObjectStoreProvider(_options);
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private CollectingTable Telemetry => _catalog.Tables[SilverTables.TelemetryEvent.Id];
    private CollectingTable Health => _catalog.Tables[SilverTables.DeviceHealth.Id];

    private async Task<IReadOnlyList<SampleDataFile>> LandAsync(string course, string ingestDate, int rounds = 150)
    {
        var manifest = SampleDataGenerator.Generate(new SampleDataOptions
        {
            OutputDirectory = Path.Combine(_home, "samples", course), Courses = [course], RoundsPerCourse = rounds, Seed = 11,
        });
        foreach (var file in manifest.Files)
            await _objects.For(Layers.Bronze).PutFileAsync($"course_id={course}/ingest_date={ingestDate}/{file.FileName}", file.Path, null, default);
        return manifest.Files;
    }

    private Task<MaterializeResult> MaterializeAsync(string course, string ingestDate, string runId = "run-1") =>
        new SilverTelemetryAsset().MaterializeAsync(new AssetExecutionContext
        {
            RunId = runId,
            AssetKey = SilverTelemetryAsset.Key,
            AssetKeys = SilverTelemetryAsset.Definition.Keys,
            Partition = new PartitionKey($"course_id={course},ingest_date={ingestDate}"),
            // As the planner would: the Bronze partition of the same key, read through Bronze's own layout.
            Inputs = new AssetInputs(_objects, [(BronzeRoundsRawAsset.Definition.Spec, [new PartitionKey($"course_id={course},ingest_date={ingestDate}")])]),
            Log = Serilog.Core.Logger.None,
            Clock = new FakeTimeProvider(new DateTimeOffset(2025, 6, 2, 6, 0, 0, TimeSpan.Zero)),
            // The Silver asset never touches the instance stores; the orchestrator's tests cover those.
            Resources = new LakehouseResources(_options, _catalog, _objects, new LakehouseInstance(null!, null!, null!, null!, null!)),
        }, CancellationToken.None);

    private async Task<List<QuarantineReport>> ReportsAsync()
    {
        var writer = new QuarantineWriter(_objects);
        var reports = new List<QuarantineReport>();
        foreach (var key in await writer.ListReportKeysAsync("silver/", default)) reports.Add(await writer.ReadAsync(key, default));
        return reports;
    }

    [Fact]
    public async Task Materialize_WritesThePartition_AndReportsMetadataChecksAndQuarantinedRows()
    {
        var files = await LandAsync("indiancreek", "2025-06-01");

        var result = await MaterializeAsync("indiancreek", "2025-06-01");

        var m = result.Metadata;
        Assert.Equal(Telemetry.Rows.Count(), m["rows_out"].Value.GetInt64());
        Assert.Equal(files.Sum(f => f.LocationRows), m["rows_in"].Value.GetInt64());
        Assert.Equal(files.Sum(f => f.PaddingSlots), m["rows_padding"].Value.GetInt64());
        Assert.True(m["rows_deduplicated"].Value.GetInt64() > 0);
        Assert.Equal(m["rows_in"].Value.GetInt64(), m["rows_out"].Value.GetInt64() + m["rows_quarantined"].Value.GetInt64() + m["rows_deduplicated"].Value.GetInt64());
        Assert.Equal(Health.Rows.Count(), m["device_health_rows"].Value.GetInt64());
        Assert.True(Health.Rows.Any());
        // The same pass materializes silver/fact_device_health and reports it as a result of its own.
        var health = Assert.Single(result.Others);
        Assert.Equal(SilverTelemetryAsset.DeviceHealthKey, health.AssetKey);
        Assert.Equal(Health.Rows.Count(), health.Metadata["rows_out"].Value.GetInt64());
        Assert.True(health.Metadata["log_entries"].Value.GetInt64() >= Health.Rows.Count());
        Assert.Equal("silver.fact_device_health", health.Metadata["table"].Display());
        Assert.Equal(m["device_health_snapshot_id"].Value.GetInt64(), health.Metadata["snapshot_id"].Value.GetInt64());
        var healthCheck = Assert.Single(health.CheckResults);
        Assert.Equal(("not_null_round_id", true), (healthCheck.CheckName, healthCheck.Passed));
        Assert.Equal("silver.fact_telemetry_event", m["table"].Display());
        Assert.Equal(1, m["snapshot_id"].Value.GetInt64());
        Assert.Equal(2, m["input_paths"].Value.GetArrayLength());
        Assert.All(m["input_paths"].Value.EnumerateArray(), p => Assert.Contains("course_id=indiancreek/ingest_date=2025-06-01/", p.GetString()));
        Assert.Equal(MetadataKind.TableSchema, m["schema"].Kind);
        Assert.Equal(40, m["schema"].Value.GetArrayLength());
        Assert.Equal(0, m["null_counts"].Value.GetProperty("round_id").GetInt64());
        Assert.True(m["null_counts"].Value.GetProperty("pace_gap").GetInt64() > 0); // indiancreek exports no paceGap
        Assert.True(m["malformed_counts"].Value.GetProperty("battery_percentage").GetInt64() >= 0);
        foreach (var key in new[] { "course_mismatch_rows", "files_written", "bytes_written", "duration_ms" }) Assert.True(m.ContainsKey(key), key);

        var checks = result.CheckResults.ToDictionary(c => c.CheckName);
        // fix_in_section is reported only for a course with spatial/course_sections polygons (FixInSectionTests); this lake has none.
        Assert.Equal(SilverTelemetryAsset.Checks.Select(c => c.Name).Where(n => n != SilverTelemetryAsset.FixInSectionCheck).Order(), checks.Keys.Order());
        Assert.All(checks.Values.Where(c => c.CheckName != "swapped_lat_lon"), c => Assert.True(c.Passed, c.CheckName + ": " + c.Description));
        var swapped = checks["swapped_lat_lon"];
        Assert.False(swapped.Passed); // indiancreek's longitude is beyond ±90, so swapped pairs are detectable and present
        Assert.Equal(AssetCheckSeverity.Warn, swapped.Severity);
        Assert.False(swapped.StopsDownstream);

        var report = Assert.Single(await ReportsAsync());
        Assert.False(report.StepFailed);
        Assert.Equal(m["rows_quarantined"].Value.GetInt64(), report.RowsQuarantined);
        Assert.Equal(report.RowsQuarantined, report.ReasonCounts.Values.Sum());
        Assert.NotEmpty(report.SampleRows);
        Assert.NotNull(report.RowsFile);
        Assert.Equal(new Dictionary<string, string> { ["course_id"] = "indiancreek", ["ingest_date"] = "2025-06-01" }, report.Partition);
        Assert.Equal("silver/course_id=indiancreek/ingest_date=2025-06-01/run_id=run-1/report.json", m["quarantine_report"].Display());
        Assert.NotNull(await _objects.For(Layers.Quarantine).StatAsync(report.RowsFile!, default));
        Assert.Equal(0, Telemetry.OpenWriters);
    }

    [Fact]
    public async Task Rematerializing_ReplacesOnlyThatPartition()
    {
        await LandAsync("erinhills", "2025-06-01");
        await LandAsync("erinhills", "2025-06-02");
        var first = await MaterializeAsync("erinhills", "2025-06-01");
        await MaterializeAsync("erinhills", "2025-06-02");
        var rowsPerPartition = first.Metadata["rows_out"].Value.GetInt64();

        var again = await MaterializeAsync("erinhills", "2025-06-01", "run-2");

        Assert.Equal(rowsPerPartition, again.Metadata["rows_out"].Value.GetInt64());
        Assert.Equal(2 * rowsPerPartition, Telemetry.Rows.Count());
        Assert.Equal(rowsPerPartition, Telemetry.Rows.Count(r => (DateOnly)r["ingest_date"]! == new DateOnly(2025, 6, 2)));
        Assert.Equal(3, (await Telemetry.HistoryAsync(default)).Count);
    }

    [Fact]
    public async Task GateFailure_WritesAFailedReport_CommitsNothing_AndThrowsTheReason()
    {
        await LandAsync("erinhills", "2025-06-01");
        _options = _options with { GateMaxQuarantineRate = 0.0001 };

        var e = await Assert.ThrowsAsync<SilverGateException>(() => MaterializeAsync("erinhills", "2025-06-01"));

        Assert.Equal("max_quarantine_rate", e.Failure.Gate);
        Assert.StartsWith("Silver gate 'max_quarantine_rate' failed: quarantined-row rate ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Empty(Telemetry.Batches);
        Assert.Empty(await Telemetry.HistoryAsync(default));
        Assert.Empty(await Health.HistoryAsync(default));
        var report = Assert.Single(await ReportsAsync());
        Assert.True(report.StepFailed);
        Assert.Equal(e.Failure.Message, report.Error);
        Assert.Equal(0.0001, report.Thresholds["max_quarantine_rate"]);
        Assert.NotNull(report.RowsFile);
        Assert.Equal(e.ReportKey, QuarantineWriter.FolderOf(report) + QuarantineWriter.ReportFile);
    }

    [Fact]
    public async Task BadInput_WritesAFailedReport_CommitsNothing_AndThrowsNamingFileLineAndColumn()
    {
        await LandAsync("erinhills", "2025-06-01");
        var bad = "_id,startTime,locations[0].startTime,locations[0].pace\nr1,2025-05-01T10:00:00Z,0,1\nr2,2025-05-01T10:00:00Z,0,\"1\n";
        await _objects.For(Layers.Bronze).PutAsync("course_id=erinhills/ingest_date=2025-06-01/zz_bad.csv", new MemoryStream(System.Text.Encoding.UTF8.GetBytes(bad)), null, default);

        var e = await Assert.ThrowsAsync<SilverInputException>(() => MaterializeAsync("erinhills", "2025-06-01"));

        Assert.Equal("zz_bad.csv line 3, column 'locations[0].pace': unbalanced quote: a quoted field is never closed.", e.Message);
        Assert.Empty(await Telemetry.HistoryAsync(default));
        var report = Assert.Single(await ReportsAsync());
        Assert.True(report.StepFailed);
        Assert.Equal(e.Message, report.Error);
        Assert.Equal(3, report.InputPaths.Count);
    }

    [Fact]
    public async Task MissingBronzeFiles_FailTheStep_WithTheLocation()
    {
        var e = await Assert.ThrowsAsync<SilverInputException>(() => MaterializeAsync("pinehurst4", "2025-06-01"));
        Assert.Contains("no Bronze files under", e.Message);
        Assert.Contains("course_id=pinehurst4/ingest_date=2025-06-01/", e.Message);
        Assert.True(Assert.Single(await ReportsAsync()).StepFailed);
    }
}
