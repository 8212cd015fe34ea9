using System.Text.Json;
using Dashboard.Tests.Support;
using Lakehouse.Core.Instance;

namespace Dashboard.Tests.Browser;

/// <summary>
/// The dashboard in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core from browser/package.json).
/// A missing node or chromium fails the test: it is never skipped, on CI or off it.
/// </summary>
public sealed class DashboardBrowserTests
{
    private const string Partition = "course_id=alpha,ingest_date=2025-06-01";

    [Fact]
    public async Task MaterializeOnePartition_FromTheAssetPage_ShowsTheRunSucceeded_AndTheNewRowCount()
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
        var shots = Path.Combine(AppContext.BaseDirectory, "screenshots", nameof(MaterializeOnePartition_FromTheAssetPage_ShowsTheRunSucceeded_AndTheNewRowCount));
        Directory.CreateDirectory(shots);
        var toy = new ToyLakehouse { SilverRows = 4321 };
        await using var server = await DashboardServer.StartAsync(toy);
        await ToyLakehouse.MaterializeBronzeAsync(server.Runtime, Partition);

        var (exit, text) = await ProcessRunner.RunAsync(node, ["dashboard.mjs", server.BaseAddress.ToString(), shots, "silver/toy", Partition], scripts, TimeSpan.FromMinutes(3));

        Assert.True(exit == 0, $"the browser script failed:\n{text}");
        var result = JsonDocument.Parse(text.Trim().Split('\n').Last(l => l.StartsWith('{'))).RootElement;
        Assert.Equal(3, result.GetProperty("graphNodes").GetInt32());
        Assert.Equal("never", result.GetProperty("statusBefore").GetString());
        Assert.Equal("succeeded", result.GetProperty("runStatus").GetString());
        Assert.Equal("materialized", result.GetProperty("statusAfter").GetString());
        Assert.Equal("4,321", result.GetProperty("rowsOut").GetString());
        foreach (var shot in new[] { "1-graph.png", "2-asset-before.png", "3-run.png", "4-asset-after.png" })
            Assert.True(new FileInfo(Path.Combine(shots, shot)) is { Exists: true, Length: > 1000 }, $"screenshot {shot} missing");
        // What the browser saw is what the instance holds: one run of exactly that partition.
        var run = Assert.Single(await server.Runtime.Instance.Runs.ListRunsAsync(new RunQuery { Asset = new("silver/toy") }, CancellationToken.None));
        Assert.Equal("silver/toy", run.Selection);
        Assert.Equal([Partition], run.Partitions);
        Assert.EndsWith("/runs/" + run.RunId, result.GetProperty("runUrl").GetString());
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
