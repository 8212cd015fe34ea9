using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Dashboard.Tests.Support;
using TmLakehouse.Dashboard.Hosting;

namespace Dashboard.Tests.Api;

public sealed class ApiKeyTests : IAsyncLifetime
{
    private const string Key = "s3cret-key";
    private DashboardServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await DashboardServer.StartAsync(new ToyLakehouse(), Key);
        _client = _server.Client();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Mutations_WithoutTheKey_Are401_WithTheKey_Accepted_AndReadsStayOpen()
    {
        var body = new { selection = "bronze/toy_raw", partitions = new[] { "course_id=alpha,ingest_date=2025-06-01" } };

        var missing = await ApiAssertions.ProblemAsync(await _client.PostAsJsonAsync("api/runs", body), HttpStatusCode.Unauthorized);
        Assert.Contains("Bearer", missing.GetProperty("detail").GetString());
        using var wrong = new HttpRequestMessage(HttpMethod.Post, "api/runs") { Content = JsonContent.Create(body) };
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "guess");
        await ApiAssertions.ProblemAsync(await _client.SendAsync(wrong), HttpStatusCode.Unauthorized);
        await ApiAssertions.ProblemAsync(await _client.PostAsync("api/runs/anything/cancel", null), HttpStatusCode.Unauthorized);
        Assert.Empty((await ApiAssertions.JsonAsync(await _client.GetAsync("api/runs"))).EnumerateArray());

        using var right = new HttpRequestMessage(HttpMethod.Post, "api/runs") { Content = JsonContent.Create(body) };
        right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        var created = await ApiAssertions.JsonAsync(await _client.SendAsync(right), HttpStatusCode.Accepted);
        Assert.Equal("succeeded", (await ApiAssertions.WaitForEndAsync(_client, created.GetProperty("runId").GetString()!)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task DashboardForms_WithoutTheKeyCookie_GoToTheLoginForm_AndHangfireIsClosed()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _server.BaseAddress };
        var page = await client.GetAsync("assets/silver/toy");
        var html = await page.Content.ReadAsStringAsync();
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var form = new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("asset", "silver/toy"), new("mode", "all")]);
        using var post = new HttpRequestMessage(HttpMethod.Post, "actions/materialize") { Content = form };
        post.Headers.Add("Cookie", string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])));

        var response = await client.SendAsync(post);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location?.OriginalString);
        Assert.Empty((await ApiAssertions.JsonAsync(await client.GetAsync("api/runs"))).EnumerateArray());
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("hangfire")).StatusCode);
    }

    [Fact]
    public async Task LoginWithTheKey_SetsTheCookie_ThenDashboardFormsAndHangfireWork()
    {
        using var client = new FormClient(_server.BaseAddress);
        await ToyLakehouse.MaterializeBronzeAsync(_server.Runtime, "course_id=beta,ingest_date=2025-06-01");
        var wrong = await client.PostFormAsync("login", "login", [new("key", "guess"), new("returnUrl", "/assets/silver/toy")]);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        var login = await client.PostFormAsync("login", "login", [new("key", Key), new("returnUrl", "/assets/silver/toy")]);
        var launched = await client.PostFormAsync("assets/silver/toy", "actions/materialize",
            [new("asset", "silver/toy"), new("mode", "chosen"), new("partition", "course_id=beta,ingest_date=2025-06-01")]);

        Assert.Equal("/assets/silver/toy", login.Headers.Location?.OriginalString);
        Assert.StartsWith("/runs/", launched.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("hangfire")).StatusCode);
    }

    [Theory]
    [InlineData(null, "0.0.0.0", null, null)]
    [InlineData(null, "192.0.2.7", 3000, null)]
    [InlineData("http://0.0.0.0:5000", null, null, null)]
    [InlineData("http://127.0.0.1:5000;http://[::]:5000", null, null, null)]
    [InlineData(null, null, null, "http://+:5000")]
    public void Serve_RefusesAnAddressBeyondLoopback_WithoutAKey_HoweverItIsGiven(string? urls, string? host, int? port, string? aspNetCoreUrls)
    {
        var variables = aspNetCoreUrls is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["ASPNETCORE_URLS"] = aspNetCoreUrls };

        var error = Assert.Throws<TmLakehouse.Orchestrator.Cli.CliUserException>(() =>
            ServeCommand.Settings(urls, host, port, new Lakehouse.Core.Config.LakehouseOptions(), variables));

        Assert.Contains("TM_API_KEY", error.Message);
        Assert.NotEmpty(ServeCommand.Settings(urls, host, port, new Lakehouse.Core.Config.LakehouseOptions { ApiKey = Key }, variables).Urls);
    }

    [Theory]
    [InlineData(null, null, null, null, "http://127.0.0.1:3000")]
    [InlineData(null, "::1", 4000, null, "http://[::1]:4000")]
    [InlineData(null, null, 4001, "http://0.0.0.0:9", "http://127.0.0.1:4001")]
    [InlineData("http://localhost:4002", null, null, "http://0.0.0.0:9", "http://localhost:4002")]
    [InlineData(null, null, null, "http://localhost:4003;http://127.0.0.1:4004", "http://localhost:4003;http://127.0.0.1:4004")]
    public void Serve_TakesUrlsThenHostAndPortThenAspNetCoreUrls(string? urls, string? host, int? port, string? aspNetCoreUrls, string expected)
    {
        var variables = aspNetCoreUrls is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["ASPNETCORE_URLS"] = aspNetCoreUrls };

        Assert.Equal(expected.Split(';'), ServeCommand.Settings(urls, host, port, new Lakehouse.Core.Config.LakehouseOptions(), variables).Urls);
    }

    [Fact]
    public void Serve_RefusesUrlsTogetherWithHost() =>
        Assert.Contains("not both", Assert.Throws<TmLakehouse.Orchestrator.Cli.CliUserException>(() =>
            ServeCommand.Settings("http://127.0.0.1:1", "127.0.0.1", null, new Lakehouse.Core.Config.LakehouseOptions(), new Dictionary<string, string>())).Message);
}
