using Dashboard.Tests.Support;
using Lakehouse.Core.Instance;

namespace Dashboard.Tests.Browser;

/// <summary>
/// The dashboard in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core from browser/package.json,
/// through <see cref="BrowserScript"/>).
/// </summary>
public sealed class DashboardBrowserTests
{
    private const string Partition = "course_id=alpha,ingest_date=2025-06-01";

    [Fact]
    public async Task MaterializeOnePartition_FromTheAssetPage_ShowsTheRunSucceeded_AndTheNewRowCount()
    {
        var shots = BrowserScript.Screenshots(nameof(MaterializeOnePartition_FromTheAssetPage_ShowsTheRunSucceeded_AndTheNewRowCount));
        var toy = new ToyLakehouse { SilverRows = 4321 };
        await using var server = await DashboardServer.StartAsync(toy);
        await ToyLakehouse.MaterializeBronzeAsync(server.Runtime, Partition);

        var result = await BrowserScript.RunAsync("dashboard.mjs", server.BaseAddress.ToString(), shots, "silver/toy", Partition);

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
}
