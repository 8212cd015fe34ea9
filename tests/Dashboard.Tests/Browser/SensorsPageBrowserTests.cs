using Dashboard.Tests.Support;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Sensors;

namespace Dashboard.Tests.Browser;

/// <summary>The Sensors page in headless Chromium (as <see cref="DashboardBrowserTests"/>): reached from the nav, showing state, cursor and ticks, and turned off by its button.</summary>
public sealed class SensorsPageBrowserTests
{
    private const string Partition = "course_id=alpha,ingest_date=2025-06-01";

    private static readonly SensorDefinition Landing = new("landing_manifests", TimeSpan.FromSeconds(30),
        (_, _) => Task.FromResult(new SensorResult
        {
            Cursor = "manifests/b1.json",
            RunRequests = [new SensorRunRequest("b1", new RunRequest("bronze/toy_raw") { Partitions = [Partition] })],
        })) { Description = "Watches the landing bucket." };

    [Fact]
    public async Task TheSensorsPage_ShowsCursorAndTicks_AndItsButtonTurnsTheSensorOff()
    {
        var shots = BrowserScript.Screenshots(nameof(TheSensorsPage_ShowsCursorAndTicks_AndItsButtonTurnsTheSensorOff));
        await using var server = await DashboardServer.StartAsync(new ToyLakehouse().Definitions(), sensors: [Landing]);
        var launched = (await server.Runtime.Sensors.EvaluateAsync(Landing, dryRun: false, CancellationToken.None)).Tick!;
        var skipped = (await server.Runtime.Sensors.EvaluateAsync(Landing, dryRun: false, CancellationToken.None)).Tick!;

        var result = await BrowserScript.RunAsync("sensors.mjs", server.BaseAddress.ToString(), shots, Landing.Name);

        Assert.Equal("on", result.GetProperty("stateBefore").GetString());
        Assert.Equal("manifests/b1.json", result.GetProperty("cursor").GetString());
        Assert.Equal([skipped.Status, launched.Status], result.GetProperty("tickStatuses").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1, result.GetProperty("runLinks").GetInt32());
        Assert.Equal("off", result.GetProperty("stateAfter").GetString());
        Assert.False(await server.Runtime.Instance.Scheduling.GetEnabledAsync(Landing.Name, CancellationToken.None));
        foreach (var shot in new[] { "1-sensors.png", "2-sensors-off.png" })
            Assert.True(new FileInfo(Path.Combine(shots, shot)) is { Exists: true, Length: > 1000 }, $"screenshot {shot} missing");
    }
}
