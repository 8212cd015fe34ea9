using System.Net;
using Dashboard.Tests.Support;
using TmLakehouse.Assets.Bronze;
using TmLakehouse.Assets.SampleData;

namespace Dashboard.Tests.Api;

/// <summary>GET /api/ledger and the Ledger page over a landed export: the row, its filters, and the row followed to its object.</summary>
public sealed class LedgerApiTests : IAsyncLifetime
{
    private DashboardServer _server = null!;
    private HttpClient _client = null!;
    private LandingResult _landed = null!;

    public async Task InitializeAsync()
    {
        _server = await DashboardServer.StartAsync(TmLakehouse.Assets.Definitions.All());
        _client = _server.Client();
        var export = SampleDataGenerator.Generate(new SampleDataOptions
        {
            OutputDirectory = Path.Combine(_server.Home, "exports"), Courses = ["erinhills"], RoundsPerCourse = 10, FilesPerCourse = 1,
        }).Files.Single();
        _landed = await new BronzeLanding(_server.Runtime.Resources, _server.Runtime.Clock) { Origin = new LandingOrigin("b7", "ops", "ingest_rounds", """{"project":"ALPHA"}""") }
            .LandAsync(export.Path, "erinhills", new DateOnly(2025, 6, 1), "run-x");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Ledger_ListsTheRow_WithItsOrigin_AndFilters()
    {
        var rows = await ApiAssertions.JsonAsync(await _client.GetAsync("api/ledger?batch=b7"));
        var row = Assert.Single(rows.EnumerateArray());
        Assert.Equal(_landed.Entry.Id, row.GetProperty("id").GetInt64());
        Assert.Equal(_landed.Entry.Key, row.GetProperty("key").GetString());
        Assert.Equal(("ops", "ALPHA"), (row.GetProperty("uploader").GetString(), row.GetProperty("metadata").GetProperty("project").GetString()));
        Assert.Equal(_landed.Location, row.GetProperty("location").GetString());

        Assert.Empty((await ApiAssertions.JsonAsync(await _client.GetAsync("api/ledger?batch=other"))).EnumerateArray());
        Assert.Single((await ApiAssertions.JsonAsync(await _client.GetAsync("api/ledger?key=course_id%3Derinhills%2F"))).EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("api/ledger?limit=0")).StatusCode);
    }

    [Fact]
    public async Task LedgerRow_SaysItsObjectIsInPlace_And404ForAnUnknownId()
    {
        var row = await ApiAssertions.JsonAsync(await _client.GetAsync($"api/ledger/{_landed.Entry.Id}"));
        Assert.Equal("in_place", row.GetProperty("object").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"api/ledger/{_landed.Entry.Id + 100}")).StatusCode);
    }

    [Fact]
    public async Task LedgerPage_ShowsTheRowLinkingItsRun()
    {
        var html = await _client.GetStringAsync("ledger?batch=b7");
        Assert.Contains($"data-ledger-id=\"{_landed.Entry.Id}\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/runs/run-x\"", html, StringComparison.Ordinal);
    }
}
