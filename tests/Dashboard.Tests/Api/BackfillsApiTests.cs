using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Dashboard.Tests.Support;
using Lakehouse.Core.Config;
using Lakehouse.Core.Instance;
using Serilog;
using TmLakehouse.Dashboard.Hosting;
using TmLakehouse.Orchestrator.Hosting;

namespace Dashboard.Tests.Api;

/// <summary>POST /api/backfills behind the key (400 problem details for a bad range, nothing stored), GET the list and one backfill, and the Backfills pages.</summary>
public sealed class BackfillsApiTests : IDisposable
{
    private const string Key = "backfill-test-key";
    private readonly string _home = Path.Combine(Path.GetTempPath(), "tmlake-backfills-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly ToyLakehouse _toy = new();

    public void Dispose()
    {
        try { Directory.Delete(_home, true); }
        catch (IOException) { }
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task PostedBackfill_RunsToTheEnd_AndIsShownByTheApiAndThePages()
    {
        await using var runtime = await LakehouseRuntime.OpenAsync(new LakehouseOptions { Home = _home, Workers = 2 }, _toy.Definitions(), RuntimeRole.Workers(2),
            new LoggerConfiguration().CreateLogger());
        await using var app = DashboardApp.Build(runtime, new DashboardSettings(["http://127.0.0.1:0"], Key));
        await DashboardHost.StartAsync(app);
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single() + "/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        const string Body = """{"selection": "bronze/toy_raw", "partitions": "course_id=*,ingest_date=2025-06-01|2025-06-02", "max_concurrent_runs": 2}""";

        using var anonymous = new HttpClient { BaseAddress = client.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("api/backfills", Json(Body))).StatusCode);
        var bad = await ApiAssertions.ProblemAsync(await client.PostAsync("api/backfills", Json("""{"selection": "bronze/toy_raw", "partitions": "course_id=nosuch"}""")),
            HttpStatusCode.BadRequest);
        Assert.Contains("nosuch", bad.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await runtime.Instance.Backfills.ListAsync(null, 10, CancellationToken.None));

        var created = await ApiAssertions.JsonAsync(await client.PostAsync("api/backfills", Json(Body)), HttpStatusCode.Accepted);
        var id = created.GetProperty("backfill_id").GetString()!;
        Assert.Equal(4, created.GetProperty("progress").GetProperty("total").GetInt32());
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            while ((await runtime.BackfillDaemon.TickAsync(long.Parse(id, System.Globalization.CultureInfo.InvariantCulture), timeout.Token)) is { Finished: false } or { Done: < 4 })
                await Task.Delay(20, timeout.Token);
        await runtime.BackfillDaemon.TickAsync(long.Parse(id, System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None);

        var one = await ApiAssertions.JsonAsync(await client.GetAsync($"api/backfills/{id}"));
        Assert.Equal("completed", one.GetProperty("status").GetString());
        Assert.Equal(4, one.GetProperty("progress").GetProperty("done").GetInt32());
        Assert.Equal(4, one.GetProperty("runs").GetArrayLength());
        var list = await ApiAssertions.JsonAsync(await client.GetAsync("api/backfills"));
        Assert.Equal(id, Assert.Single(list.EnumerateArray()).GetProperty("backfill_id").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("api/backfills/999")).StatusCode);

        var page = await client.GetStringAsync("backfills");
        Assert.Contains($"href=\"/backfills/{id}\"", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/backfills\">Backfills</a>", page, StringComparison.Ordinal);
        var detail = await client.GetStringAsync($"backfills/{id}");
        Assert.Contains("data-done=\"4\"", detail, StringComparison.Ordinal);
        Assert.Contains("4/4 done", detail, StringComparison.Ordinal);
        await app.StopAsync();
    }
}
