using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Api;

public sealed class RunsApiTests : IAsyncLifetime
{
    private readonly ToyLakehouse _toy = new();
    private DashboardServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await DashboardServer.StartAsync(_toy);
        _client = _server.Client();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private Task<HttpResponseMessage> PostJsonAsync(string path, string json) =>
        _client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task PostRun_Returns202WithLocation_AndTheRunSucceedsWithItsSteps()
    {
        await ToyLakehouse.MaterializeBronzeAsync(_server.Runtime, "course_id=alpha,ingest_date=2025-06-01");
        var response = await PostJsonAsync("api/runs", """{"selection": "silver/*", "partitions": ["course_id=alpha,ingest_date=2025-06-01"], "tags": {"who": "test"}}""");

        var created = await ApiAssertions.JsonAsync(response, HttpStatusCode.Accepted);
        var runId = created.GetProperty("runId").GetString()!;
        Assert.Equal($"/api/runs/{runId}", response.Headers.Location?.OriginalString);
        var run = await ApiAssertions.WaitForEndAsync(_client, runId);
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal("silver/*", run.GetProperty("selection").GetString());
        Assert.Equal(["course_id=alpha,ingest_date=2025-06-01"], run.GetProperty("partitions").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("test", run.GetProperty("tags").GetProperty("who").GetString());
        var step = Assert.Single(run.GetProperty("steps").EnumerateArray());
        Assert.Equal("silver/toy[course_id=alpha,ingest_date=2025-06-01]", step.GetProperty("step").GetString());
        Assert.Equal("succeeded", step.GetProperty("status").GetString());

        var events = await ApiAssertions.JsonAsync(await _client.GetAsync($"api/runs/{runId}/events"));
        var materialization = Assert.Single(events.EnumerateArray(), e => e.GetProperty("type").GetString() == "Materialization");
        Assert.Equal("int", materialization.GetProperty("metadata").GetProperty("rows_out").GetProperty("kind").GetString());
        Assert.Equal(1234, materialization.GetProperty("metadata").GetProperty("rows_out").GetProperty("value").GetInt64());
    }

    [Fact]
    public async Task ListRuns_FiltersByStatusAndAsset()
    {
        _toy.Failing["bronze/toy_raw[course_id=beta,ingest_date=2025-06-02]"] = "bad file";
        await ToyLakehouse.MaterializeBronzeAsync(_server.Runtime, "course_id=alpha,ingest_date=2025-06-01");
        var ok = (await ApiAssertions.JsonAsync(await PostJsonAsync("api/runs", """{"selection": "silver/toy", "partitions": ["course_id=alpha,ingest_date=2025-06-01"]}"""), HttpStatusCode.Accepted)).GetProperty("runId").GetString()!;
        var bad = (await ApiAssertions.JsonAsync(await PostJsonAsync("api/runs", """{"selection": "bronze/toy_raw", "partitions": ["course_id=beta,ingest_date=2025-06-02"]}"""), HttpStatusCode.Accepted)).GetProperty("runId").GetString()!;
        await ApiAssertions.WaitForEndAsync(_client, ok);
        Assert.Equal("failed", (await ApiAssertions.WaitForEndAsync(_client, bad)).GetProperty("status").GetString());

        var failed = await ApiAssertions.JsonAsync(await _client.GetAsync("api/runs?status=failed"));
        var silver = await ApiAssertions.JsonAsync(await _client.GetAsync("api/runs?asset=silver/toy&limit=10"));

        Assert.Equal([bad], failed.EnumerateArray().Select(r => r.GetProperty("runId").GetString()));
        Assert.Equal([ok], silver.EnumerateArray().Select(r => r.GetProperty("runId").GetString()));
        var badStatus = await ApiAssertions.ProblemAsync(await _client.GetAsync("api/runs?status=exploded"), HttpStatusCode.BadRequest);
        Assert.Contains("exploded", badStatus.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Reexecute_OfAFailedRun_Returns202_AndTheNewRunSucceedsOnceTheCauseIsGone()
    {
        _toy.Failing["silver/toy[course_id=beta,ingest_date=2025-06-01]"] = "flaky";
        await ToyLakehouse.MaterializeBronzeAsync(_server.Runtime, "course_id=beta,ingest_date=2025-06-01");
        var first = (await ApiAssertions.JsonAsync(await PostJsonAsync("api/runs", """{"selection": "silver/toy", "partitions": ["course_id=beta,ingest_date=2025-06-01"]}"""), HttpStatusCode.Accepted)).GetProperty("runId").GetString()!;
        Assert.Equal("failed", (await ApiAssertions.WaitForEndAsync(_client, first)).GetProperty("status").GetString());
        _toy.Failing.Clear();

        var response = await _client.PostAsync($"api/runs/{first}/reexecute", null);

        var second = (await ApiAssertions.JsonAsync(response, HttpStatusCode.Accepted)).GetProperty("runId").GetString()!;
        Assert.NotEqual(first, second);
        var run = await ApiAssertions.WaitForEndAsync(_client, second);
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal(first, run.GetProperty("parentRunId").GetString());
        // A run that already ended cannot be canceled: a 400 that says so.
        var cancel = await ApiAssertions.ProblemAsync(await _client.PostAsync($"api/runs/{second}/cancel", null), HttpStatusCode.BadRequest);
        Assert.Contains("already ended", cancel.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task PostRun_UnknownAsset_Returns400Problem_NamingIt()
    {
        var problem = await ApiAssertions.ProblemAsync(await PostJsonAsync("api/runs", """{"selection": "silver/nope"}"""), HttpStatusCode.BadRequest);
        Assert.Contains("silver/nope", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("""{"selection": "silver/toy", "partitions": ["course_id=alpha,ingest_date=2025-06-01"]}""", "which has never been materialized")]
    [InlineData("""{"selection": "bronze/toy_raw", "partitions": ["course_id=../x,ingest_date=2025-06-01"]}""", "cannot hold '/'")]
    [InlineData("""{"selection": "bronze/toy_raw", "partitions": ["course_id=gamma,ingest_date=2025-06-01"]}""", "gamma")]
    public async Task PostRun_RefusedAtLaunch_Returns400Problem_AndStoresNoRun(string body, string expected)
    {
        var problem = await ApiAssertions.ProblemAsync(await PostJsonAsync("api/runs", body), HttpStatusCode.BadRequest);

        Assert.Contains(expected, problem.GetProperty("detail").GetString());
        Assert.Empty((await ApiAssertions.JsonAsync(await _client.GetAsync("api/runs"))).EnumerateArray());
    }

    [Fact]
    public async Task PostRun_BadPartitionKey_Returns400Problem_NamingTheKey()
    {
        var problem = await ApiAssertions.ProblemAsync(await PostJsonAsync("api/runs", """{"selection": "silver/toy", "partitions": ["course_id=alpha,ingest_day=2025-06-01"]}"""), HttpStatusCode.BadRequest);
        Assert.Contains("ingest_day", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task PostRun_MalformedJson_Returns400Problem()
    {
        var problem = await ApiAssertions.ProblemAsync(await PostJsonAsync("api/runs", """{"selection": "silver/*", "partitions": [""" ), HttpStatusCode.BadRequest);
        Assert.Equal("Malformed JSON", problem.GetProperty("title").GetString());
        var wrongType = await ApiAssertions.ProblemAsync(await PostJsonAsync("api/runs", """{"selection": "silver/*", "allPartitions": "yes"}"""), HttpStatusCode.BadRequest);
        Assert.Equal("Malformed JSON", wrongType.GetProperty("title").GetString());
    }

    [Fact]
    public async Task PostRun_BadSelection_Returns400Problem()
    {
        var empty = await ApiAssertions.ProblemAsync(await PostJsonAsync("api/runs", """{"selection": "silver/toy,,gold/toy_summary"}"""), HttpStatusCode.BadRequest);
        Assert.Contains("empty term", empty.GetProperty("detail").GetString());
        var missing = await ApiAssertions.ProblemAsync(await PostJsonAsync("api/runs", """{"partitions": []}"""), HttpStatusCode.BadRequest);
        Assert.Contains("selection", missing.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task UnknownRun_Returns404Problem_ForReadsAndMutations()
    {
        await ApiAssertions.ProblemAsync(await _client.GetAsync("api/runs/no-such-run"), HttpStatusCode.NotFound);
        await ApiAssertions.ProblemAsync(await _client.GetAsync("api/runs/no-such-run/events"), HttpStatusCode.NotFound);
        await ApiAssertions.ProblemAsync(await _client.PostAsync("api/runs/no-such-run/cancel", null), HttpStatusCode.NotFound);
        await ApiAssertions.ProblemAsync(await _client.PostAsync("api/runs/no-such-run/reexecute", null), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheRunsAndAssetsRoutes()
    {
        var document = await ApiAssertions.JsonAsync(await _client.GetAsync("openapi/v1.json"));
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/runs", paths);
        Assert.Contains("/api/runs/{id}", paths);
        Assert.Contains("/api/runs/{id}/reexecute", paths);
        Assert.Contains("/api/assets/{key}", paths);
        Assert.Contains("/api/quarantine/{id}", paths);
    }
}
