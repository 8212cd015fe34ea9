using System.Net;
using System.Net.Http.Headers;
using Apache.Arrow;
using Dashboard.Tests.Support;
using Lakehouse.Core.Quality;

namespace Dashboard.Tests.Api;

/// <summary>
/// Issue 10 defect 8 with TM_API_KEY set: reads that show data (quarantine sample rows, the rejected-rows Parquet) need the key;
/// the health endpoint, static files and the pages that show only counts do not; the antiforgery key ring lives under TM_HOME.
/// </summary>
public sealed class KeyedReadsTests : IAsyncLifetime
{
    private const string Key = "s3cret-key";
    private DashboardServer _server = null!;
    private string _id = "";

    public async Task InitializeAsync()
    {
        _server = await DashboardServer.StartAsync(new ToyLakehouse(), Key);
        var rows = new RecordBatch.Builder().Append("round_id", false, c => c.String(a => a.Append("secret-round-1"))).Build();
        var key = await new QuarantineWriter(_server.Runtime.Resources.Objects).WriteAsync(new QuarantineReport
        {
            Layer = "silver", Asset = "silver/toy", Step = "silver/toy[course_id=alpha,ingest_date=2025-06-01]", RunId = "run1",
            Partition = new Dictionary<string, string> { ["course_id"] = "alpha", ["ingest_date"] = "2025-06-01" },
            RowsIn = 100, RowsQuarantined = 1,
            ReasonCounts = new Dictionary<string, long> { ["bad_latitude"] = 1 },
            SampleRows = [new Dictionary<string, System.Text.Json.JsonElement> { ["round_id"] = System.Text.Json.JsonSerializer.SerializeToElement("secret-round-1") }],
            CreatedAt = DateTimeOffset.UtcNow,
        }, [rows], CancellationToken.None);
        _id = TmLakehouse.Dashboard.Web.QuarantineIds.Of(key);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private HttpClient Anonymous() => new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _server.BaseAddress };

    [Fact]
    public async Task QuarantineSamplesAndRows_WithoutTheKey_AreRefused_AndNeverShowTheData()
    {
        using var client = Anonymous();

        var page = await client.GetAsync($"quarantine/{_id}");
        var parquet = await client.GetAsync($"quarantine/{_id}/rows.parquet");
        var list = await client.GetAsync("api/quarantine");
        var one = await client.GetAsync($"api/quarantine/{_id}");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login?returnUrl=", page.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, parquet.StatusCode);
        await ApiAssertions.ProblemAsync(list, HttpStatusCode.Unauthorized);
        await ApiAssertions.ProblemAsync(one, HttpStatusCode.Unauthorized);
        foreach (var response in new[] { page, parquet, list, one })
            Assert.DoesNotContain("secret-round-1", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task QuarantineSamplesAndRows_WithTheKey_AreServed_ByBearerOrByTheLoginCookie()
    {
        using var bearer = Anonymous();
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        Assert.Contains("secret-round-1", await (await bearer.GetAsync($"api/quarantine/{_id}")).Content.ReadAsStringAsync());
        Assert.Contains("secret-round-1", await (await bearer.GetAsync("api/quarantine")).Content.ReadAsStringAsync());
        Assert.Equal("PAR1"u8.ToArray(), (await (await bearer.GetAsync($"quarantine/{_id}/rows.parquet")).Content.ReadAsByteArrayAsync())[..4]);

        using var browser = new FormClient(_server.BaseAddress);
        await browser.PostFormAsync("login", "login", [new("key", Key), new("returnUrl", "/")]);
        Assert.Contains("secret-round-1", await browser.PageAsync($"quarantine/{_id}"));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"quarantine/{_id}/rows.parquet")).StatusCode);
    }

    [Fact]
    public async Task HealthStaticFilesAndCountPages_NeedNoKey()
    {
        using var client = Anonymous();

        var health = await client.GetAsync("healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("ok", await health.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("static/site.css")).StatusCode);
        var list = await client.GetAsync("quarantine");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var html = await list.Content.ReadAsStringAsync();
        Assert.Contains("bad_latitude: 1", html);
        Assert.DoesNotContain("secret-round-1", html);
    }

    [Fact]
    public async Task TheAntiforgeryKeyRing_IsWrittenUnderTmHome()
    {
        using var client = new FormClient(_server.BaseAddress);

        await client.PageAsync("login");

        var ring = Path.Combine(_server.Runtime.Options.Home, "data-protection-keys");
        Assert.True(Directory.Exists(ring), $"{ring} does not exist");
        Assert.NotEmpty(Directory.GetFiles(ring, "key-*.xml"));
    }
}
