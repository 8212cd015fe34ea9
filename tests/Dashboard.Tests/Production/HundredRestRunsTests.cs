using System.Net;
using System.Text;
using Apache.Arrow;
using Dashboard.Tests.Api;
using Dashboard.Tests.Support;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Tables;
using TmLakehouse.Assets.Bronze;
using TmLakehouse.Assets.SampleData;
using TmLakehouse.Assets.Silver;

namespace Dashboard.Tests.Production;

/// <summary>
/// Issue 10's reliability figure, kept as a test: 100 runs launched through the REST API, 50 requests in flight at once, over
/// the real Bronze and Silver assets of one landed partition on a loopback server. None is lost or duplicated, every step
/// runs once (attempt 1), and Silver's live rows are exactly one run's rows.
/// </summary>
public sealed class HundredRestRunsTests : IAsyncLifetime
{
    private const int Runs = 100, InFlight = 50;
    private DashboardServer _server = null!;
    private string _partition = "";
    private string _exports = "";

    public async Task InitializeAsync()
    {
        _server = await DashboardServer.StartAsync(TmLakehouse.Assets.Definitions.All());
        _exports = Path.Combine(Path.GetTempPath(), "tmlake-rest-exports-" + Guid.NewGuid().ToString("N")[..10]);
        var manifest = SampleDataGenerator.Generate(new SampleDataOptions { OutputDirectory = _exports, Courses = ["erinhills"], RoundsPerCourse = 20, FilesPerCourse = 1 });
        var landing = new BronzeLanding(_server.Runtime.Resources, _server.Runtime.Clock);
        _partition = (await landing.LandAsync(manifest.Files[0].Path, "erinhills", manifest.Files[0].IngestDate, RunIds())).Partition;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        try { Directory.Delete(_exports, recursive: true); }
        catch (IOException) { }
    }

    private static string RunIds() => "land-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task HundredRuns_FiftyInFlight_NoneLostOrDuplicated_EveryStepOnce_AndTheLiveRowsAreOneRunsRows()
    {
        using var client = _server.Client();
        using var gate = new SemaphoreSlim(InFlight);
        var body = $$"""{"selection": "bronze/rounds_raw,silver/fact_telemetry_event", "partitions": ["{{_partition}}"]}""";
        var launches = Enumerable.Range(0, Runs).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var response = await client.PostAsync("api/runs", new StringContent(body, Encoding.UTF8, "application/json"));
                return (await ApiAssertions.JsonAsync(response, HttpStatusCode.Accepted)).GetProperty("runId").GetString()!;
            }
            finally
            {
                gate.Release();
            }
        });
        var ids = await Task.WhenAll(launches);

        Assert.Equal(Runs, ids.Distinct().Count());
        var stored = await _server.Runtime.Instance.Runs.ListRunsAsync(new RunQuery { Limit = 1000 }, CancellationToken.None);
        Assert.Equal(ids.Order(StringComparer.Ordinal), stored.Select(r => r.RunId).Order(StringComparer.Ordinal));
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        long? rowsOut = null;
        foreach (var id in ids)
        {
            var run = await TmLakehouse.Orchestrator.Execution.RunWatcher.WaitAsync(_server.Runtime.Instance.Runs, id, null, TimeSpan.FromMilliseconds(100), deadline.Token);
            Assert.True(run.Status == RunStatus.Succeeded, $"run {id} ended {run.Status}");
            var steps = await _server.Runtime.Instance.Runs.GetStepsAsync(id, CancellationToken.None);
            Assert.Equal(["bronze/rounds_raw", "silver/fact_telemetry_event"], steps.Select(s => s.Key.Asset.Value).Order(StringComparer.Ordinal));
            Assert.All(steps, s => Assert.True(s.Status == StepStatus.Succeeded && s.Attempt == 1, $"{id} {s.Key}: {s.Status}, attempt {s.Attempt}"));
            var events = await _server.Runtime.Instance.Events.QueryAsync(new EventQuery { RunId = id, Limit = 10_000 }, CancellationToken.None);
            Assert.Equal(2, events.Count(e => e.Type == EventType.StepStarted));
            Assert.DoesNotContain(events, e => e.Type == EventType.StepRetry);
            var silver = Assert.Single(events, e => e.Type == EventType.Materialization && e.Step!.Asset == SilverTelemetryAsset.Key);
            var rows = silver.Metadata["rows_out"].Value.GetInt64();
            Assert.True(rowsOut is null || rowsOut == rows, $"run {id} wrote {rows} rows, another {rowsOut}");
            rowsOut = rows;
        }

        var (live, duplicates) = await LiveSilverRowsAsync();
        Assert.True(rowsOut > 0);
        Assert.Equal(rowsOut, live);
        Assert.Equal(0, duplicates);
    }

    private async Task<(long Rows, long Duplicates)> LiveSilverRowsAsync()
    {
        var table = (await _server.Runtime.Resources.Tables.LoadAsync(SilverTables.TelemetryEvent.Id, CancellationToken.None))!;
        var keys = new HashSet<(string, int)>();
        long rows = 0, duplicates = 0;
        await foreach (var batch in table.ScanAsync(new TableScan { Columns = ["round_id", "location_index"] }, CancellationToken.None))
        {
            var round = (StringArray)batch.Column(0);
            var location = (Int32Array)batch.Column(1);
            for (var r = 0; r < batch.Length; r++, rows++)
                if (!keys.Add((round.GetString(r), location.GetValue(r)!.Value))) duplicates++;
        }
        return (rows, duplicates);
    }
}
