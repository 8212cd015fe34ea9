using Dashboard.Tests.Support;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using TmLakehouse.Orchestrator.Execution;

namespace Dashboard.Tests.Browser;

/// <summary>
/// The dashboard in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core from browser/package.json,
/// through <see cref="BrowserScript"/>).
/// </summary>
public sealed class DashboardBrowserTests
{
    private const string Partition = "course_id=alpha,ingest_date=2025-06-01";
    private const string FailingStep = "silver/toy[course_id=beta,ingest_date=2025-06-02]";

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

    [Fact]
    public async Task EveryPage_AfterAFailedPartitionAndItsReexecution_ShowsTheCountsLabelsAndLinksAUserReads()
    {
        var shots = BrowserScript.Screenshots(nameof(EveryPage_AfterAFailedPartitionAndItsReexecution_ShowsTheCountsLabelsAndLinksAUserReads));
        var toy = new ToyLakehouse { SilverRows = 4321 };
        await using var server = await DashboardServer.StartAsync(toy);
        await ToyLakehouse.MaterializeBronzeAsync(server.Runtime);
        toy.Failing[FailingStep] = "3 rows out of range: see silver/course_id=beta/ingest_date=2025-06-02/run_id=r1/report.json";
        var runId = await server.Runtime.Coordinator.LaunchAsync(new RunRequest("silver/toy") { AllPartitions = true }, CancellationToken.None);
        await WaitAsync(server, runId);
        var childId = await server.Runtime.Coordinator.ReexecuteAsync(runId, CancellationToken.None);
        await WaitAsync(server, childId);

        var result = await BrowserScript.RunAsync("pages.mjs", server.BaseAddress.ToString(), shots, runId, childId);

        Assert.Equal("Sign in", result.GetProperty("signInLink").GetString());
        var columns = result.GetProperty("columns");
        Assert.Equal([0, 1, 2], new[] { "bronze/toy_raw", "silver/toy", "gold/toy_summary" }.Select(k => columns.GetProperty(k).GetInt32()));
        Assert.Equal(0, result.GetProperty("backwardEdges").GetInt32());
        Assert.Contains("1 failed · 3 materialized", result.GetProperty("silverNode").GetString());
        Assert.Equal("1 of 3 assets match · pick the 1 matching · clear search", result.GetProperty("graphMatches").GetString());
        Assert.Equal(["bronze/toy_raw", "silver/toy"], result.GetProperty("graphDimmed").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["gold/toy_summary", "silver/toy"], result.GetProperty("picked").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("(2 picked)", result.GetProperty("pickedCount").GetString());
        Assert.Equal(["gold/toy_summary", "silver/toy"], result.GetProperty("pickedBoxes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(3, result.GetProperty("catalogAll").GetInt32());
        Assert.Equal(["silver/toy"], result.GetProperty("catalogFailed").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("1 failed · 3 materialized", result.GetProperty("catalogSilverCounts").GetString());
        Assert.Equal(["Overview", "Partitions", "Checks", "Lineage", "Metadata"], result.GetProperty("tabs").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("4 partitions: 1 failed, 3 materialized", result.GetProperty("partitionCounts").GetString());
        Assert.Equal("rows_out", result.GetProperty("seriesMetric").GetString());
        Assert.Equal(3, result.GetProperty("seriesCount").GetInt32());
        Assert.Equal(1, result.GetProperty("seriesTotal").GetInt32());
        Assert.Equal("4,321", result.GetProperty("rowsOut").GetString());
        // Every materialization's schema stays folded: the tab is a page, not ~14,000 px of JSON.
        Assert.Equal(0, result.GetProperty("metadataOpenDocuments").GetInt32());
        Assert.InRange(result.GetProperty("metadataHeight").GetInt32(), 1, 6000);
        Assert.Equal(["course_id=alpha,ingest_date=2025-06-01", "course_id=alpha,ingest_date=2025-06-02", "course_id=beta,ingest_date=2025-06-01", "course_id=beta,ingest_date=2025-06-02"],
            result.GetProperty("ganttPartitions").EnumerateArray().Select(e => e.GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(0, result.GetProperty("ganttCutLabels").GetInt32());
        Assert.Equal(4, result.GetProperty("ganttAttempts").GetInt32());
        Assert.NotEmpty(result.GetProperty("ganttQueued").EnumerateArray());
        Assert.All(result.GetProperty("ganttQueued").EnumerateArray(), q => Assert.StartsWith("queued ", q.GetString()));
        Assert.Equal([childId], result.GetProperty("childRuns").EnumerateArray().Select(e => e.GetString()));
        Assert.StartsWith("/quarantine/", result.GetProperty("reportLink").GetString());
        Assert.StartsWith("#1 failed", result.GetProperty("failedAttempts").GetString());
        Assert.Equal($"re-executes {runId}", result.GetProperty("childLineage").GetString());
        Assert.Equal($"re-executed by {childId}", result.GetProperty("parentLineage").GetString());
        Assert.Equal("page 1", result.GetProperty("pager").GetString());
        Assert.Equal("Backfills", result.GetProperty("backfillsHeading").GetString());
        Assert.Equal("Backfills", result.GetProperty("backfillsActiveTab").GetString());
        Assert.Contains("TmLakehouse API", result.GetProperty("apiTitle").GetString());
        Assert.Empty(result.GetProperty("offsite").EnumerateArray());
        foreach (var shot in new[] { "1-graph.png", "1b-graph-picked.png", "2-catalog.png", "3-asset-overview.png", "4-asset-partitions.png", "5-asset-metadata.png", "6-run.png", "7-runs.png", "7b-backfills.png", "8-api-reference.png" })
            Assert.True(new FileInfo(Path.Combine(shots, shot)) is { Exists: true, Length: > 1000 }, $"screenshot {shot} missing");
    }

    private static Task WaitAsync(DashboardServer server, string runId) =>
        RunWatcher.WaitAsync(server.Runtime.Instance.Runs, runId, null, TimeSpan.FromMilliseconds(50), new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
}
