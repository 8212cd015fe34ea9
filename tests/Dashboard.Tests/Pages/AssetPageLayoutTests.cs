using Dashboard.Tests.Support;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Partitions;
using Lakehouse.Core.Quality;
using TmLakehouse.Orchestrator.Execution;

namespace Dashboard.Tests.Pages;

/// <summary>
/// The asset page as issue 15 found it: a landed asset reporting `rows` (not rows_out) showed "No data yet", check results sat
/// below everything, and each materialization's JSON metadata was printed open (a page ~14,000 px tall).
/// </summary>
public sealed class AssetPageLayoutTests : IAsyncLifetime
{
    private const string Landed = "bronze/landed";
    private DashboardServer _server = null!;
    private FormClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await DashboardServer.StartAsync([LandedFiles()]);
        _client = new FormClient(_server.BaseAddress);
        var runId = await _server.Runtime.Coordinator.LaunchAsync(new RunRequest(Landed) { AllPartitions = true }, CancellationToken.None);
        var run = await RunWatcher.WaitAsync(_server.Runtime.Instance.Runs, runId, null, TimeSpan.FromMilliseconds(50), new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        Assert.Equal(RunStatus.Succeeded, run.Status);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task PartitionsTab_OfAnAssetReportingRows_ChartsRows_OneSeriesPerPartition()
    {
        var html = await _client.PageAsync($"assets/{Landed}?tab=partitions");

        Assert.Contains("id=\"series-chart\" data-metric=\"rows\" data-series=\"2\"", html);
        Assert.DoesNotContain("No data yet", html);
        Assert.DoesNotContain("No numeric metadata yet", html);
    }

    [Fact]
    public async Task Overview_PutsTheLatestCheckResults_AboveThePartitionGrid_FailingFirst()
    {
        var html = await _client.PageAsync($"assets/{Landed}");

        var checks = html.IndexOf("id=\"latest-checks\"", StringComparison.Ordinal);
        var grid = html.IndexOf("id=\"partition-grid\"", StringComparison.Ordinal);
        Assert.True(checks > 0 && grid > checks, $"latest checks at {checks}, partition grid at {grid}");
        Assert.Contains("1 not passing", html);
        var failing = html.IndexOf("data-check=\"row_count_known\" data-result=\"failed\"", StringComparison.Ordinal);
        var passing = html.IndexOf("data-check=\"row_count_known\" data-result=\"passed\"", StringComparison.Ordinal);
        Assert.True(failing > 0 && passing > failing, $"failing row at {failing}, passing row at {passing}");
    }

    [Fact]
    public async Task MetadataTab_FoldsEveryJsonDocument_AndShowsNumbersAsTheyAre()
    {
        var html = await _client.PageAsync($"assets/{Landed}?tab=metadata");

        Assert.Equal(2, CountOf(html, "<details><summary>"));
        Assert.DoesNotContain("<details open", html);
        Assert.Contains("<td data-key=\"rows\">12,345</td>", html);
    }

    [Fact]
    public async Task Catalog_WithHasFailedChecks_ListsTheAssetWhoseLatestCheckFailed()
    {
        var all = await _client.PageAsync("catalog");
        var failing = await _client.PageAsync("catalog?failedChecks=true");

        Assert.Contains("data-failed-checks=\"1\"", all);
        Assert.Contains($"<tr data-asset=\"{Landed}\"", failing);
        Assert.Contains("1 of 1 assets", failing);
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    // Like Bronze: rows of the landed files and a JSON list of them; partition b's check fails.
    private static AssetDefinition LandedFiles() => AssetDefinition.Create(new AssetSpec(new AssetKey(Landed))
    {
        Partitions = new StaticPartitionsDefinition("course_id", ["a", "b"]),
        Description = "Landed files, byte for byte.",
    }, (context, _) => Task.FromResult(new MaterializeResult
    {
        Metadata = new Dictionary<string, MetadataValue>
        {
            ["rows"] = MetadataValue.Int(context.Partition!.Value == "a" ? 12_345 : 678),
            ["files"] = MetadataValue.Json(Enumerable.Range(0, 40).Select(i => new { path = $"landed/{i}.csv", rows = i }).ToList()),
        },
        CheckResults = [new AssetCheckResult("row_count_known", context.Partition.Value == "a", AssetCheckSeverity.Error, Blocking: false)],
    }));
}
