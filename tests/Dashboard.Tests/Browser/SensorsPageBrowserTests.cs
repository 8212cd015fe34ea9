using System.Text.Json;
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
        var node = ProcessRunner.Find("node") ?? throw new InvalidOperationException("node is not on PATH: the browser test needs Node.js (apt-get install nodejs npm).");
        var chromium = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";
        Assert.True(File.Exists(chromium), $"{chromium} is missing: the browser test needs Chromium (apt-get install chromium).");
        var scripts = BrowserFolder();
        if (!Directory.Exists(Path.Combine(scripts, "node_modules", "playwright-core")))
        {
            var npm = ProcessRunner.Find("npm") ?? throw new InvalidOperationException("npm is not on PATH.");
            var (code, output) = await ProcessRunner.RunAsync(npm, ["ci", "--no-audit", "--no-fund"], scripts, TimeSpan.FromMinutes(5));
            Assert.True(code == 0, $"npm ci failed in {scripts}:\n{output}");
        }
        var shots = Path.Combine(AppContext.BaseDirectory, "screenshots", nameof(TheSensorsPage_ShowsCursorAndTicks_AndItsButtonTurnsTheSensorOff));
        Directory.CreateDirectory(shots);
        await using var server = await DashboardServer.StartAsync(new ToyLakehouse().Definitions(), sensors: [Landing]);
        var launched = (await server.Runtime.Sensors.EvaluateAsync(Landing, dryRun: false, CancellationToken.None)).Tick!;
        var skipped = (await server.Runtime.Sensors.EvaluateAsync(Landing, dryRun: false, CancellationToken.None)).Tick!;

        var (exit, text) = await ProcessRunner.RunAsync(node, ["sensors.mjs", server.BaseAddress.ToString(), shots, Landing.Name], scripts, TimeSpan.FromMinutes(3));

        Assert.True(exit == 0, $"the browser script failed:\n{text}");
        var result = JsonDocument.Parse(text.Trim().Split('\n').Last(l => l.StartsWith('{'))).RootElement;
        Assert.Equal("on", result.GetProperty("stateBefore").GetString());
        Assert.Equal("manifests/b1.json", result.GetProperty("cursor").GetString());
        Assert.Equal([skipped.Status, launched.Status], result.GetProperty("tickStatuses").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1, result.GetProperty("runLinks").GetInt32());
        Assert.Equal("off", result.GetProperty("stateAfter").GetString());
        Assert.False(await server.Runtime.Instance.Scheduling.GetEnabledAsync(Landing.Name, CancellationToken.None));
        foreach (var shot in new[] { "1-sensors.png", "2-sensors-off.png" })
            Assert.True(new FileInfo(Path.Combine(shots, shot)) is { Exists: true, Length: > 1000 }, $"screenshot {shot} missing");
    }

    private static string BrowserFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Dashboard.Tests", "browser");
            if (File.Exists(Path.Combine(candidate, "package.json"))) return candidate;
        }
        throw new DirectoryNotFoundException($"tests/Dashboard.Tests/browser not found above {AppContext.BaseDirectory}.");
    }
}
