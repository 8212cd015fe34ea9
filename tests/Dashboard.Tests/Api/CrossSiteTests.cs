using System.Net;
using System.Text;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Api;

/// <summary>
/// Issue 10 defect 2 on the default keyless loopback server: another web page must not launch or cancel runs (CSRF), and a
/// page served under another name that resolves to 127.0.0.1 must not be answered (DNS rebinding), also under /hangfire.
/// </summary>
public sealed class CrossSiteTests : IAsyncLifetime
{
    private const string Partition = "course_id=alpha,ingest_date=2025-06-01";
    private readonly ToyLakehouse _toy = new();
    private DashboardServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await DashboardServer.StartAsync(_toy);
        _client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _server.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _toy.Hold?.TrySetResult();
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private string Origin => _server.BaseAddress.GetLeftPart(UriPartial.Authority);

    private static HttpContent LaunchBody(string? mediaType)
    {
        var bytes = Encoding.UTF8.GetBytes($$"""{"selection": "bronze/toy_raw", "partitions": ["{{Partition}}"]}""");
        var content = new ByteArrayContent(bytes);
        if (mediaType is not null) content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
        return content;
    }

    private async Task<int> RunCountAsync() => (await _server.Runtime.Instance.Runs.ListRunsAsync(new(), CancellationToken.None)).Count;

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data")]
    public async Task LaunchingARun_WithoutAJsonContentType_Is415_AndLaunchesNothing(string? mediaType)
    {
        // These are the bodies a plain HTML form or a no-cors fetch can send without a CORS preflight.
        var problem = await ApiAssertions.ProblemAsync(await _client.PostAsync("api/runs", LaunchBody(mediaType)), HttpStatusCode.UnsupportedMediaType);

        Assert.Contains("application/json", problem.GetProperty("detail").GetString());
        Assert.Equal(0, await RunCountAsync());
        await ApiAssertions.JsonAsync(await _client.PostAsync("api/runs", LaunchBody("application/json")), HttpStatusCode.Accepted);
    }

    [Theory]
    [InlineData("Origin", "https://evil.example")]
    [InlineData("Origin", "null")]
    [InlineData("Origin", "http://127.0.0.1:1")]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    public async Task CancelingARun_FromAnotherSite_Is403_AndTheRunGoesOn_WhileTheSameOriginMayCancel(string header, string value)
    {
        _toy.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runId = (await ApiAssertions.JsonAsync(await _client.PostAsync("api/runs", LaunchBody("application/json")), HttpStatusCode.Accepted)).GetProperty("runId").GetString()!;

        using var forged = new HttpRequestMessage(HttpMethod.Post, $"api/runs/{runId}/cancel");
        forged.Headers.Add(header, value);
        var refused = await ApiAssertions.ProblemAsync(await _client.SendAsync(forged), HttpStatusCode.Forbidden);

        Assert.Contains("cross-site", refused.GetProperty("detail").GetString());
        Assert.Equal("running", (await ApiAssertions.JsonAsync(await _client.GetAsync($"api/runs/{runId}"))).GetProperty("status").GetString());
        using var mine = new HttpRequestMessage(HttpMethod.Post, $"api/runs/{runId}/cancel");
        mine.Headers.Add("Origin", Origin);
        mine.Headers.Add("Sec-Fetch-Site", "same-origin");
        await ApiAssertions.JsonAsync(await _client.SendAsync(mine), HttpStatusCode.Accepted);
        Assert.Equal("canceled", (await ApiAssertions.WaitForEndAsync(_client, runId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task DashboardForms_FromAnotherSite_AreRefused_EvenWithAValidAntiforgeryToken()
    {
        using var client = new FormClient(_server.BaseAddress) { Headers = { { "Origin", "https://evil.example" } } };

        var materialize = await client.PostFormAsync("assets/silver/toy", "actions/materialize", [new("asset", "silver/toy"), new("mode", "all")]);
        var login = await client.PostFormAsync("login", "login", [new("key", "x"), new("returnUrl", "/")]);
        var schedule = await client.PostFormAsync("login", "actions/schedules/nightly", [new("enabled", "true")]);

        Assert.Equal(HttpStatusCode.Forbidden, materialize.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, login.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, schedule.StatusCode);
        Assert.Contains("cross-site", await materialize.Content.ReadAsStringAsync());
        Assert.Equal(0, await RunCountAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("api/runs")]
    [InlineData("hangfire")]
    [InlineData("static/site.css")]
    public async Task AForeignHostHeader_IsRefused_OnPagesApiAndHangfire(string path)
    {
        using var rebound = new HttpRequestMessage(HttpMethod.Get, path);
        rebound.Headers.Host = "evil.example";
        var response = await _client.SendAsync(rebound);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("evil.example", await response.Content.ReadAsStringAsync());
        foreach (var host in new[] { "localhost", $"localhost:{_server.BaseAddress.Port}", "127.0.0.1", "[::1]" })
        {
            using var local = new HttpRequestMessage(HttpMethod.Get, path);
            local.Headers.Host = host;
            Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(local)).StatusCode);
        }
    }

    [Fact]
    public async Task AForeignHostHeader_IsRefused_ForMutations_BeforeAnythingRuns()
    {
        using var rebound = new HttpRequestMessage(HttpMethod.Post, "api/runs") { Content = LaunchBody("application/json") };
        rebound.Headers.Host = "evil.example";

        Assert.Equal(HttpStatusCode.BadRequest, (await _client.SendAsync(rebound)).StatusCode);
        Assert.Equal(0, await RunCountAsync());
    }

    [Fact]
    public async Task TheHostNamesOfTmAllowedHosts_AreServed_AndOthersStillAreNot()
    {
        await using var server = await DashboardServer.StartAsync(new ToyLakehouse(), allowedHosts: ["dash.example"]);
        using var client = server.Client();

        using var allowed = new HttpRequestMessage(HttpMethod.Get, "api/runs");
        allowed.Headers.Host = "DASH.example:8443";
        using var other = new HttpRequestMessage(HttpMethod.Get, "api/runs");
        other.Headers.Host = "evil.example";

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(allowed)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(other)).StatusCode);
    }

    [Theory]
    [InlineData("https://dash.example", "dash.example", HttpStatusCode.NotFound)]       // behind a TLS-terminating proxy: same host, scheme differs
    [InlineData("http://dash.example:8080", "dash.example:8080", HttpStatusCode.NotFound)]
    [InlineData("https://evil.example", "dash.example", HttpStatusCode.Forbidden)]
    [InlineData("https://dash.example:8443", "dash.example", HttpStatusCode.Forbidden)]  // another port is another origin
    public async Task ThePagesOwnOrigin_PassesBehindAProxy_AnotherHostOrPortDoesNot(string origin, string host, HttpStatusCode expected)
    {
        await using var server = await DashboardServer.StartAsync(new ToyLakehouse(), allowedHosts: ["dash.example"]);
        using var client = server.Client();
        using var cancel = new HttpRequestMessage(HttpMethod.Post, "api/runs/no-such-run/cancel");
        cancel.Headers.Host = host;
        cancel.Headers.Add("Origin", origin);

        Assert.Equal(expected, (await client.SendAsync(cancel)).StatusCode);
    }

    [Fact]
    public async Task TheHealthEndpoint_AnswersAnyHostName_ForProbes()
    {
        using var probe = new HttpRequestMessage(HttpMethod.Get, "healthz");
        probe.Headers.Host = "10.1.2.3:8080";

        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(probe)).StatusCode);
    }
}
