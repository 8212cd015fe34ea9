using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Api;

/// <summary>The OpenAPI document lists only /api routes; its reference UI is served from this server alone; /readyz checks both stores.</summary>
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

    [GeneratedRegex("<script[^>]*src=\"([^\"]+)\"")]
    private static partial Regex ScriptSource();
}
