using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Api;

public sealed class AssetsApiTests : IAsyncLifetime
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

    [Fact]
    public async Task Asset_AndItsMaterializations_AreServedUnderTheKeyWithSlashes()
    {
        var launched = await ApiAssertions.JsonAsync(await _client.PostAsJsonAsync("api/runs", new { selection = "+silver/toy", partitions = new[] { "course_id=beta,ingest_date=2025-06-02" } }), HttpStatusCode.Accepted);
        await ApiAssertions.WaitForEndAsync(_client, launched.GetProperty("runId").GetString()!);

        var asset = await ApiAssertions.JsonAsync(await _client.GetAsync("api/assets/silver/toy"));
        var history = await ApiAssertions.JsonAsync(await _client.GetAsync("api/assets/silver/toy/materializations"));
        var list = await ApiAssertions.JsonAsync(await _client.GetAsync("api/assets"));

        Assert.Equal("silver/toy", asset.GetProperty("key").GetString());
        Assert.Equal(["bronze/toy_raw"], asset.GetProperty("deps").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal("materialized", asset.GetProperty("status").GetString());
        var partition = Assert.Single(asset.GetProperty("partitions").EnumerateArray());
        Assert.Equal("course_id=beta,ingest_date=2025-06-02", partition.GetProperty("partition").GetString());
        var materialization = Assert.Single(history.EnumerateArray());
        Assert.Equal("silver/toy[course_id=beta,ingest_date=2025-06-02]", materialization.GetProperty("step").GetString());
        Assert.Equal("tableschema", materialization.GetProperty("metadata").GetProperty("schema").GetProperty("kind").GetString());
        Assert.Equal(["bronze/toy_raw", "silver/toy", "gold/toy_summary"], list.EnumerateArray().Select(a => a.GetProperty("key").GetString()));
        Assert.Equal("never", list.EnumerateArray().Single(a => a.GetProperty("key").GetString() == "gold/toy_summary").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Asset_CountsEveryPartition_AndPagesThroughThemAfterTheLastOneShown()
    {
        string[] partitions = ["course_id=beta,ingest_date=2025-06-02", "course_id=alpha,ingest_date=2025-06-01", "course_id=beta,ingest_date=2025-06-01"];
        var launched = await ApiAssertions.JsonAsync(await _client.PostAsJsonAsync("api/runs", new { selection = "+silver/toy", partitions }), HttpStatusCode.Accepted);
        await ApiAssertions.WaitForEndAsync(_client, launched.GetProperty("runId").GetString()!);

        var whole = await ApiAssertions.JsonAsync(await _client.GetAsync("api/assets/silver/toy"));
        var shown = new List<string>();
        string? after = null;
        do
        {
            var page = await ApiAssertions.JsonAsync(await _client.GetAsync($"api/assets/silver/toy?limit=2{(after is null ? "" : $"&after={Uri.EscapeDataString(after)}")}"));
            shown.AddRange(page.GetProperty("partitions").EnumerateArray().Select(p => p.GetProperty("partition").GetString()!));
            Assert.Equal(3, page.GetProperty("counts").GetProperty("materialized").GetInt32());
            after = page.GetProperty("partitionsAfter").GetString();
        } while (after is not null);

        Assert.Equal(partitions.Order(StringComparer.Ordinal), shown);
        Assert.Equal(shown, whole.GetProperty("partitions").EnumerateArray().Select(p => p.GetProperty("partition").GetString()));
        Assert.Equal(JsonValueKind.Null, whole.GetProperty("partitionsAfter").ValueKind);
        await ApiAssertions.ProblemAsync(await _client.GetAsync("api/assets/silver/toy?limit=0"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task UnknownAsset_Is404_AndAnInvalidKeyOrPartitionFilterIs400()
    {
        await ApiAssertions.ProblemAsync(await _client.GetAsync("api/assets/silver/nope"), HttpStatusCode.NotFound);
        await ApiAssertions.ProblemAsync(await _client.GetAsync("api/assets/silver/no%20pe"), HttpStatusCode.BadRequest);
        var badFilter = await ApiAssertions.ProblemAsync(await _client.GetAsync("api/assets/silver/toy/materializations?partition=course_id=alpha"), HttpStatusCode.BadRequest);
        Assert.Contains("ingest_date", badFilter.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Quarantine_UnknownReport_Is404_AndTheListStartsEmpty()
    {
        Assert.Empty((await ApiAssertions.JsonAsync(await _client.GetAsync("api/quarantine"))).EnumerateArray());
        await ApiAssertions.ProblemAsync(await _client.GetAsync("api/quarantine/bm90LWEtcmVwb3J0"), HttpStatusCode.NotFound);
    }
}
