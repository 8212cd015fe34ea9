using System.Net;
using Apache.Arrow;
using Dashboard.Tests.Support;
using Lakehouse.Core.Quality;
using TmLakehouse.Orchestrator.Execution;

namespace Dashboard.Tests.Pages;

public sealed class DashboardPagesTests : IAsyncLifetime
{
    private readonly ToyLakehouse _toy = new();
    private DashboardServer _server = null!;
    private FormClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await DashboardServer.StartAsync(_toy);
        _client = new FormClient(_server.BaseAddress);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private Task WaitAsync(string runId) =>
        RunWatcher.WaitAsync(_server.Runtime.Instance.Runs, runId, null, TimeSpan.FromMilliseconds(50), new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);

    [Fact]
    public async Task MaterializeAll_WithUpstream_FromTheAssetForm_RunsEveryPartitionOfBothLayers()
    {
        await ToyLakehouse.MaterializeBronzeAsync(_server.Runtime);
        var response = await _client.PostFormAsync("assets/silver/toy", "actions/materialize", [new("asset", "silver/toy"), new("mode", "all")]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var runId = response.Headers.Location!.OriginalString["/runs/".Length..];
        await WaitAsync(runId);
        var steps = await _server.Runtime.Instance.Runs.GetStepsAsync(runId, CancellationToken.None);
        Assert.Equal(4, steps.Count);
        var upstream = await _client.PostFormAsync("assets/silver/toy", "actions/materialize",
            [new("asset", "silver/toy"), new("mode", "upstream"), new("partitions_text", "course_id=beta,ingest_date=2025-06-02")]);
        var second = upstream.Headers.Location!.OriginalString["/runs/".Length..];
        await WaitAsync(second);
        Assert.Equal(["bronze/toy_raw[course_id=beta,ingest_date=2025-06-02]", "silver/toy[course_id=beta,ingest_date=2025-06-02]"],
            (await _server.Runtime.Instance.Runs.GetStepsAsync(second, CancellationToken.None)).Select(s => s.Key.ToString()).Order(StringComparer.Ordinal));

        var graph = await _client.PageAsync("");
        Assert.Contains("data-asset=\"silver/toy\" data-status=\"materialized\"", graph);
        Assert.Contains("data-asset=\"gold/toy_summary\" data-status=\"never\"", graph);
    }

    [Fact]
    public async Task MaterializeForm_WithABadPartitionKey_ShowsA400PageNamingIt_AndWithoutAToken_IsRefused()
    {
        var bad = await _client.PostFormAsync("assets/silver/toy", "actions/materialize", [new("asset", "silver/toy"), new("mode", "chosen"), new("partitions_text", "course_id=gamma,ingest_date=2025-06-01")]);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("gamma", WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync()));

        using var raw = new HttpClient { BaseAddress = _server.BaseAddress };
        var forged = await raw.PostAsync("actions/materialize", new FormUrlEncodedContent([new("asset", "silver/toy"), new("mode", "all")]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Empty(await _server.Runtime.Instance.Runs.ListRunsAsync(new(), CancellationToken.None));
    }

    [Fact]
    public async Task FailedRun_Page_ShowsTheError_FiltersLogsByLevel_AndReexecutes()
    {
        _toy.Failing["bronze/toy_raw[course_id=alpha,ingest_date=2025-06-02]"] = "the landed file is truncated";
        var launched = await _client.PostFormAsync("assets/bronze/toy_raw", "actions/materialize",
            [new("asset", "bronze/toy_raw"), new("mode", "chosen"), new("partition", "course_id=alpha,ingest_date=2025-06-02")]);
        var runId = launched.Headers.Location!.OriginalString["/runs/".Length..];
        await WaitAsync(runId);
        _toy.Failing.Clear();

        var page = WebUtility.HtmlDecode(await _client.PageAsync($"runs/{runId}"));
        var errors = WebUtility.HtmlDecode(await _client.PageAsync($"runs/{runId}?level=Error"));

        Assert.Contains("data-status=\"failed\"", page);
        Assert.Contains("the landed file is truncated", page);
        Assert.Contains("<svg id=\"timeline\"", page);
        Assert.Contains("StepStarted", page);
        Assert.DoesNotContain("StepStarted", errors);
        Assert.Contains("StepFailed", errors);
        var again = await _client.PostFormAsync($"runs/{runId}", $"actions/runs/{runId}/reexecute", []);
        var newId = again.Headers.Location!.OriginalString["/runs/".Length..];
        await WaitAsync(newId);
        Assert.Contains("data-status=\"succeeded\"", await _client.PageAsync($"runs/{newId}"));
        Assert.Contains($"data-run=\"{runId}\"", await _client.PageAsync("runs?status=failed"));
        // The succeeded re-execution names the failed run as its parent; the failed run itself has no row there.
        var succeeded = await _client.PageAsync("runs?status=succeeded");
        Assert.DoesNotContain($"data-run=\"{runId}\"", succeeded);
        Assert.Contains($"re-executes <a href=\"/runs/{runId}\">", succeeded);
    }

    [Fact]
    public async Task QuarantineReport_IsListedWithReasonsAndRate_AndItsRowsDownloadAsParquet()
    {
        var rows = new RecordBatch.Builder().Append("round_id", false, c => c.String(a => a.Append("r1").Append("r2"))).Build();
        var key = await new QuarantineWriter(_server.Runtime.Resources.Objects).WriteAsync(new QuarantineReport
        {
            Layer = "silver", Asset = "silver/toy", Step = "silver/toy[course_id=alpha,ingest_date=2025-06-01]", RunId = "run1",
            Partition = new Dictionary<string, string> { ["course_id"] = "alpha", ["ingest_date"] = "2025-06-01" },
            RowsIn = 200, RowsQuarantined = 2,
            ReasonCounts = new Dictionary<string, long> { ["bad_timestamp"] = 2 },
            SampleRows = [new Dictionary<string, System.Text.Json.JsonElement> { ["round_id"] = System.Text.Json.JsonSerializer.SerializeToElement("r1") }],
            CreatedAt = DateTimeOffset.UtcNow,
        }, [rows], CancellationToken.None);

        var list = await _client.PageAsync("quarantine");
        var api = await Api.ApiAssertions.JsonAsync(await _client.GetAsync("api/quarantine"));
        var id = Assert.Single(api.EnumerateArray()).GetProperty("id").GetString()!;
        var report = await _client.PageAsync($"quarantine/{id}");
        var parquet = await _client.GetAsync($"quarantine/{id}/rows.parquet");
        var one = await Api.ApiAssertions.JsonAsync(await _client.GetAsync($"api/quarantine/{id}"));

        Assert.Contains("bad_timestamp: 2", list);
        Assert.Contains("1%", list); // 2 of 200 rows for course alpha
        Assert.Contains("r1", report);
        Assert.Equal(key, one.GetProperty("key").GetString());
        Assert.Equal(2, one.GetProperty("report").GetProperty("rows_quarantined").GetInt64());
        var bytes = await parquet.Content.ReadAsByteArrayAsync();
        Assert.Equal("PAR1"u8.ToArray(), bytes[..4]);
        Assert.Equal("PAR1"u8.ToArray(), bytes[^4..]);
    }

    [Fact]
    public async Task EveryPage_RendersAsHtml_AndUnknownAssetOrRunIs404()
    {
        foreach (var path in new[] { "", "runs", "schedules", "quarantine", "assets/gold/toy_summary", "login" })
            Assert.Contains("<link rel=\"stylesheet\" href=\"/static/site.css\">", await _client.PageAsync(path));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("assets/gold/nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("runs/nope")).StatusCode);
        var css = await _client.GetAsync("static/site.css");
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Contains("--ok", await css.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("hangfire")).StatusCode);
    }
}
