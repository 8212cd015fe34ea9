using Hangfire.Storage;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Orchestrator.Tests.Support;
using TestSupport;
using TmLakehouse.Orchestrator.Backfills;
using TmLakehouse.Orchestrator.Hosting;

namespace Orchestrator.Tests.Backfills;

/// <summary>
/// Backfills over the toy graph, on each backend (the subclasses say how a runtime opens): runs launched under the concurrency
/// limit, partitions per run, failures resumed, cancel, and a refused range storing nothing.
/// </summary>
public abstract class BackfillDaemonTests : IDisposable
{
    private readonly TempHome _home = new();

    protected string Home => _home.Path;

    protected abstract Task<LakehouseRuntime> OpenAsync(IReadOnlyList<AssetDefinition> assets, int workers = 2);

    public void Dispose()
    {
        _home.Dispose();
        GC.SuppressFinalize(this);
    }

    private static async Task<BackfillRecord> TickUntilEndedAsync(LakehouseRuntime runtime, long id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        while (true)
        {
            await runtime.BackfillDaemon.TickAsync(id, timeout.Token);
            var backfill = await runtime.Backfills.GetAsync(id, timeout.Token);
            if (backfill.Status != BackfillStatus.Requested) return backfill;
            await Task.Delay(20, timeout.Token);
        }
    }

    [Fact]
    public async Task Backfill_LaunchesNoMoreRunsThanTheLimit_ThenRunsEveryPartitionOnce_InRunsOfTheGivenSize()
    {
        var toy = new ToyAssets(Enumerable.Range(1, 10).Select(i => $"c{i:00}").ToList()) { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var runtime = await OpenAsync(toy.Definitions());
        var id = await runtime.Backfills.SubmitAsync(new BackfillRequest("toy/*", "course=*") { PartitionsPerRun = 2, MaxConcurrentRuns = 3 }, CancellationToken.None);

        var held = await runtime.BackfillDaemon.TickAsync(id, CancellationToken.None);
        var again = await runtime.BackfillDaemon.TickAsync(id, CancellationToken.None);

        Assert.Equal((10, 6, 4, 3), (held.Total, held.InFlight, held.Pending, held.RunsInFlight));
        Assert.Equal((6, 4, 3), (again.InFlight, again.Pending, again.RunsInFlight));
        toy.Gate.SetResult();
        var ended = await TickUntilEndedAsync(runtime, id);

        Assert.Equal(BackfillStatus.Completed, ended.Status);
        var progress = await runtime.Instance.Backfills.GetProgressAsync(id, CancellationToken.None);
        Assert.Equal((10, 10, 0, 0, 0), (progress.Total, progress.Done, progress.Failed, progress.InFlight, progress.Pending));
        var runs = await runtime.Instance.Backfills.GetRunsAsync(id, 100, CancellationToken.None);
        Assert.Equal(5, runs.Count);
        Assert.All(runs, r => Assert.Equal((2, "succeeded"), (r.Partitions, r.Status)));
        Assert.Equal(30, toy.Calls.Count);
        Assert.All(toy.Calls.GroupBy(c => c.Step), g => Assert.Single(g));
        foreach (var run in runs)
            Assert.Equal(id.ToString(System.Globalization.CultureInfo.InvariantCulture), (await runtime.Instance.Runs.GetRunAsync(run.RunId!, CancellationToken.None))!.Tags["backfill"]);
    }

    [Fact]
    public async Task FailedPartition_EndsTheBackfillFailed_AndResumeRunsOnlyIt()
    {
        var toy = new ToyAssets();
        toy.Failing["toy/clean[b]"] = "no clean data for b";
        await using var runtime = await OpenAsync(toy.Definitions());
        var id = await runtime.Backfills.SubmitAsync(new BackfillRequest("toy/*", "course=a|b"), CancellationToken.None);

        Assert.Equal(BackfillStatus.Failed, (await TickUntilEndedAsync(runtime, id)).Status);
        var failed = await runtime.Instance.Backfills.GetProgressAsync(id, CancellationToken.None);
        Assert.Equal((2, 1, 1), (failed.Total, failed.Done, failed.Failed));

        toy.Failing.Clear();
        Assert.Equal(1, await runtime.Backfills.ResumeAsync(id, CancellationToken.None));
        Assert.Equal(BackfillStatus.Completed, (await TickUntilEndedAsync(runtime, id)).Status);
        Assert.Equal(1, toy.Calls.Count(c => c.Step == "toy/clean[a]"));
        Assert.Equal(2, toy.Calls.Count(c => c.Step == "toy/clean[b]"));
        Assert.Equal(2, (await runtime.Instance.Backfills.GetProgressAsync(id, CancellationToken.None)).Done);
        await Assert.ThrowsAsync<TmLakehouse.Orchestrator.Execution.RunLaunchException>(() => runtime.Backfills.ResumeAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task Cancel_StopsLaunching_CancelsTheRunsInFlight_AndResumeFinishesTheRest()
    {
        var toy = new ToyAssets(["a", "b", "c"]) { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var runtime = await OpenAsync(toy.Definitions());
        var id = await runtime.Backfills.SubmitAsync(new BackfillRequest("toy/*", "course=*") { MaxConcurrentRuns = 1 }, CancellationToken.None);
        var launched = await runtime.BackfillDaemon.TickAsync(id, CancellationToken.None);
        Assert.Equal((1, 2), (launched.InFlight, launched.Pending));

        await runtime.Backfills.CancelAsync(id, CancellationToken.None);
        toy.Gate.SetResult();

        var run = (await runtime.Instance.Backfills.GetRunsAsync(id, 10, CancellationToken.None)).Single(r => r.RunId is not null);
        var ended = await TmLakehouse.Orchestrator.Execution.RunWatcher.WaitAsync(runtime.Instance.Runs, run.RunId!, null, TimeSpan.FromMilliseconds(20),
            new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        Assert.Equal(RunStatus.Canceled, ended.Status);
        await runtime.BackfillDaemon.TickAsync(id, CancellationToken.None);
        var canceled = await runtime.Instance.Backfills.GetProgressAsync(id, CancellationToken.None);
        Assert.Equal((BackfillStatus.Canceled, 0, 1, 2), ((await runtime.Backfills.GetAsync(id, CancellationToken.None)).Status, canceled.Done, canceled.Failed, canceled.Pending));

        Assert.Equal(3, await runtime.Backfills.ResumeAsync(id, CancellationToken.None));
        Assert.Equal(BackfillStatus.Completed, (await TickUntilEndedAsync(runtime, id)).Status);
    }

    [Fact]
    public async Task ThousandPartitions_AreStoredInOrder_SplitIntoRunsOfTheGivenSize()
    {
        var toy = new ToyAssets(Enumerable.Range(0, 1000).Select(i => $"k{i:0000}").ToList());
        await using var runtime = await OpenAsync(toy.Definitions());
        var id = await runtime.Backfills.SubmitAsync(new BackfillRequest("toy/raw", "course=*") { PartitionsPerRun = 7 }, CancellationToken.None);

        var backfill = await runtime.Backfills.GetAsync(id, CancellationToken.None);
        var runs = await runtime.Instance.Backfills.GetRunsAsync(id, 1000, CancellationToken.None);
        Assert.Equal((1000, 7, 143), (backfill.Total, backfill.PartitionsPerRun, runs.Count));
        Assert.Equal(("k0000", "k0006", 7), (runs[0].FirstPartition, runs[0].LastPartition, runs[0].Partitions));
        Assert.Equal(("k0994", "k0999", 6), (runs[^1].FirstPartition, runs[^1].LastPartition, runs[^1].Partitions));
        Assert.All(runs, r => Assert.Equal("pending", BackfillRunView.Of(r).Status));
        var chunks = await runtime.Instance.Backfills.GetChunksToLaunchAsync(id, 2, CancellationToken.None);
        Assert.Equal([["k0000", "k0001", "k0002", "k0003", "k0004", "k0005", "k0006"], ["k0007", "k0008", "k0009", "k0010", "k0011", "k0012", "k0013"]],
            chunks.Select(c => c.Partitions));
    }

    [Fact]
    public async Task RecurringJob_TicksAnOpenBackfillToItsEnd_WithoutAForegroundTicker()
    {
        var toy = new ToyAssets(["a", "b", "c"]);
        await using var runtime = await OpenAsync(toy.Definitions());
        BackfillDaemon.RegisterRecurringJob(runtime.JobStorage);
        using (var connection = runtime.JobStorage.GetConnection())
        {
            var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == BackfillDaemon.RecurringJobId);
            Assert.Equal(("*/5 * * * * *", nameof(BackfillDaemon.TickAllAsync)), (job.Cron, job.Job.Method.Name));
        }

        var id = await runtime.Backfills.SubmitAsync(new BackfillRequest("toy/*", "course=*") { MaxConcurrentRuns = 2 }, CancellationToken.None);

        // Only Hangfire's recurring job ticks here: nothing in the test calls TickAsync.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        BackfillRecord backfill;
        while ((backfill = await runtime.Backfills.GetAsync(id, timeout.Token)).Status == BackfillStatus.Requested)
            await Task.Delay(100, timeout.Token);
        Assert.Equal(BackfillStatus.Completed, backfill.Status);
        var progress = await runtime.Instance.Backfills.GetProgressAsync(id, CancellationToken.None);
        Assert.Equal((3, 3, 0), (progress.Total, progress.Done, progress.Failed));
        Assert.Equal(9, toy.Calls.Count);
        Assert.All(toy.Calls.GroupBy(c => c.Step), g => Assert.Single(g));
    }

    [Fact]
    public async Task LaunchesSharingASnapshot_ReadTheUpstreamOnce_AndReadAgainBeforeRefusingAMiss()
    {
        var toy = new ToyAssets(["a", "b", "c", "d", "e"]);
        await using var runtime = await OpenAsync(toy.Definitions());
        async Task RunAsync(string selection, string partition, LaunchSnapshot? snapshot = null)
        {
            var runId = await runtime.Coordinator.LaunchAsync(new RunRequest(selection) { Partitions = [partition] }, CancellationToken.None, null, snapshot);
            var ended = await TmLakehouse.Orchestrator.Execution.RunWatcher.WaitAsync(runtime.Instance.Runs, runId, null, TimeSpan.FromMilliseconds(20),
                new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
            Assert.Equal(RunStatus.Succeeded, ended.Status);
        }
        foreach (var course in new[] { "a", "b", "c" }) await RunAsync("toy/raw", $"course={course}");

        var shared = new LaunchSnapshot(runtime.Instance);
        foreach (var course in new[] { "a", "b", "c" }) await RunAsync("toy/clean", $"course={course}", shared);
        Assert.Equal(1, shared.InstanceReads);

        // Materialized after the snapshot read it: the miss is read again, and the launch goes ahead.
        await RunAsync("toy/raw", "course=d");
        await RunAsync("toy/clean", "course=d", shared);
        Assert.Equal(2, shared.InstanceReads);
        // Never materialized: refused as without a snapshot, after one more read.
        var refused = await Assert.ThrowsAsync<RunPlanException>(() =>
            runtime.Coordinator.LaunchAsync(new RunRequest("toy/clean") { Partitions = ["course=e"] }, CancellationToken.None, null, shared));
        Assert.Contains("has never been materialized", refused.Message, StringComparison.Ordinal);
        Assert.Equal(3, shared.InstanceReads);
        Assert.Equal(4, toy.Calls.Count(c => c.Step.StartsWith("toy/clean", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("course=nosuch", "'nosuch' is not a partition of dimension 'course'")]
    [InlineData("course=2025-06-01..2025-06-02", "A..B ranges are for date dimensions")]
    [InlineData("day=*", "names dimensions no selected asset has")]
    public async Task BadRange_IsRefused_AndNothingIsStored(string range, string expected)
    {
        await using var runtime = await OpenAsync(new ToyAssets().Definitions());

        var refused = await Assert.ThrowsAsync<RunPlanException>(() => runtime.Backfills.SubmitAsync(new BackfillRequest("toy/*", range), CancellationToken.None));

        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
        Assert.Empty(await runtime.Instance.Backfills.ListAsync(null, 10, CancellationToken.None));
    }
}

/// <summary>Backfills on the embedded backend.</summary>
public sealed class EmbeddedBackfillDaemonTests : BackfillDaemonTests
{
    protected override Task<LakehouseRuntime> OpenAsync(IReadOnlyList<AssetDefinition> assets, int workers = 2) => Runtimes.EmbeddedAsync(Home, assets, workers);
}

/// <summary>Backfills on PostgreSQL (instance and Hangfire in one fresh database per test).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresBackfillDaemonTests(PostgresServerFixture postgres) : BackfillDaemonTests
{
    protected override async Task<LakehouseRuntime> OpenAsync(IReadOnlyList<AssetDefinition> assets, int workers = 2) =>
        await Runtimes.PostgresAsync(Home, await postgres.CreateDatabaseAsync(), assets, workers);
}
