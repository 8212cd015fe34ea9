using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dashboard.Tests.Support;
using TestSupport;

namespace Dashboard.Tests.Api;

/// <summary>The OpenAPI document lists only /api routes; its reference UI is served from this server alone; /readyz checks both stores and says which one does not answer.</summary>
public sealed partial class ApiReferenceAndProbesTests : IAsyncLifetime
{
    private DashboardServer _server = null!;

    public async Task InitializeAsync() => _server = await DashboardServer.StartAsync(new ToyLakehouse());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task OpenApi_ListsOnlyApiRoutes_NotTheFormPostsOrTheIcebergCatalog()
    {
        using var client = _server.Client();
        using var document = JsonDocument.Parse(await client.GetStringAsync("openapi/v1.json"));

        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/runs", paths);
        Assert.All(paths, p => Assert.StartsWith("/api/", p + "/"));
    }

    [Fact]
    public async Task ApiReference_LoadsItsScriptFromThisServer_AndNothingFromElsewhere()
    {
        using var client = _server.Client();
        var html = await client.GetStringAsync("api-reference");

        var sources = ScriptSource().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(sources);
        Assert.All(sources, s => Assert.DoesNotContain("//", s));
        Assert.DoesNotContain("cdn.jsdelivr", html);
        foreach (var source in sources)
        {
            var script = await client.GetAsync(new Uri(new Uri(_server.BaseAddress, "api-reference/"), source));
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        }
    }

    [Fact]
    public async Task Readyz_SaysBothStoresAnswer()
    {
        using var client = _server.Client();
        var response = await client.GetAsync("readyz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"status\":\"ready\",\"instanceStore\":\"ok\",\"objectStore\":\"ok\"}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readyz_Is503AndNamesTheObjectStore_WhenS3StopsAnswering_AndHealthzStaysUp()
    {
        var s3 = new S3ServerFixture();
        await s3.InitializeAsync();
        var stopped = false;
        try
        {
            await using var server = await DashboardServer.StartAsync(new ToyLakehouse().Definitions(), stores: s3.NewOptions());
            using var client = server.Client();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("readyz")).StatusCode);

            await s3.DisposeAsync();
            stopped = true;
            var response = await client.GetAsync("readyz");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("{\"status\":\"unavailable\",\"instanceStore\":\"ok\",\"objectStore\":\"unreachable\"}", await response.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("healthz")).StatusCode);
        }
        finally
        {
            if (!stopped) await s3.DisposeAsync();
        }
    }

    [GeneratedRegex("<script[^>]*src=\"([^\"]+)\"")]
    private static partial Regex ScriptSource();
}
