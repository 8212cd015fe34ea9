using System.Net;
using System.Net.Http.Headers;
using Dashboard.Tests.Support;
using Lakehouse.Core.Config;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Sensors;
using Serilog;
using TmLakehouse.Dashboard.Hosting;
using TmLakehouse.Orchestrator.Hosting;

namespace Dashboard.Tests.Api;

/// <summary>GET /api/sensors (on/off, cursor, ticks), one sensor, and POST on|off, which needs the key when one is set.</summary>
public sealed class SensorsApiTests : IDisposable
{
    private const string Key = "sensor-test-key";
    private readonly string _home = Path.Combine(Path.GetTempPath(), "tmlake-sensors-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly ToyLakehouse _toy = new();

    private static readonly SensorDefinition Landing = new("landing_manifests", TimeSpan.FromSeconds(30),
        (_, _) => Task.FromResult(new SensorResult
        {
            Cursor = "manifests/b1.json",
            RunRequests = [new SensorRunRequest("b1", new RunRequest("bronze/toy_raw") { Partitions = ["course_id=alpha,ingest_date=2025-06-01"] })],
        })) { Description = "Watches the landing bucket." };

    public void Dispose()
    {
        try { Directory.Delete(_home, true); }
        catch (IOException) { }
    }

    [Fact]
    public async Task Sensors_ListsTheTickAndCursor_AndOnOffNeedsTheKey()
    {
        await using var runtime = await LakehouseRuntime.OpenAsync(new LakehouseOptions { Home = _home, Workers = 1 }, _toy.Definitions(), RuntimeRole.ClientOnly,
            new LoggerConfiguration().CreateLogger(), sensors: [Landing]);
        var tick = (await runtime.Sensors.EvaluateAsync(Landing, dryRun: false, CancellationToken.None)).Tick!;
        await using var app = DashboardApp.Build(runtime, new DashboardSettings(["http://127.0.0.1:0"], Key));
        await DashboardHost.StartAsync(app);
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single() + "/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);

        var list = await ApiAssertions.JsonAsync(await client.GetAsync("api/sensors"));
        var sensor = Assert.Single(list.EnumerateArray());
        Assert.Equal("landing_manifests", sensor.GetProperty("name").GetString());
        Assert.True(sensor.GetProperty("enabled").GetBoolean());
        Assert.Equal("manifests/b1.json", sensor.GetProperty("cursor").GetString());
        var shown = Assert.Single(sensor.GetProperty("ticks").EnumerateArray());
        Assert.Equal("launched", shown.GetProperty("status").GetString());
        Assert.Equal(tick.RunIds.Single(), Assert.Single(shown.GetProperty("runIds").EnumerateArray()).GetString());

        using var anonymous = new HttpClient { BaseAddress = client.BaseAddress };
        var refused = await anonymous.PostAsync("api/sensors/landing_manifests/off", null);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Null(await runtime.Instance.Scheduling.GetEnabledAsync("landing_manifests", CancellationToken.None));

        var off = await ApiAssertions.JsonAsync(await client.PostAsync("api/sensors/landing_manifests/off", null));
        Assert.False(off.GetProperty("enabled").GetBoolean());
        Assert.False(await runtime.Instance.Scheduling.GetEnabledAsync("landing_manifests", CancellationToken.None));
        Assert.False((await ApiAssertions.JsonAsync(await client.GetAsync("api/sensors/landing_manifests"))).GetProperty("enabled").GetBoolean());
        Assert.True((await ApiAssertions.JsonAsync(await client.PostAsync("api/sensors/landing_manifests/on", null))).GetProperty("enabled").GetBoolean());

        var missing = await client.GetAsync("api/sensors/nosuch");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("No sensor 'nosuch'. Sensors: landing_manifests.", await missing.Content.ReadAsStringAsync());
        await app.StopAsync();
    }
}
