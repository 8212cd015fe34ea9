using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Objects;
using Orchestrator.Tests.Support;
using TmLakehouse.Orchestrator.Execution;
using TmLakehouse.Orchestrator.Hosting;

namespace Orchestrator.Tests.Execution;

/// <summary>
/// The coordinator's scenarios on the toy graph, run once per backend by the subclasses (embedded; PostgreSQL), which only
/// say how a runtime is opened.
/// </summary>
public abstract class RunCoordinatorTests : IDisposable
{
    protected static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);
    private readonly TempHome _home = new();
    private readonly ToyAssets _toy = new();

    protected string Home => _home.Path;

    /// <summary>Opens a runtime with in-process workers on this backend, for the test's own store.</summary>
    protected abstract Task<LakehouseRuntime> OpenAsync(IReadOnlyList<AssetDefinition> assets, int workers = 2);

    public void Dispose()
    {
        _home.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static Task<RunRecord> WaitAsync(LakehouseRuntime runtime, string runId, int seconds = 60) =>
        RunWatcher.WaitAsync(runtime.Instance.Runs, runId, null, Poll, new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token);

    [Fact]
    public async Task Launch_MaterializesEveryStepInDependencyOrder_ThroughHangfire()
    {
        await using var runtime = await OpenAsync(_toy.Definitions());
        var runId = await runtime.Coordinator.LaunchAsync(new RunRequest("toy/*") { AllPartitions = true }, CancellationToken.None);

        var run = await WaitAsync(runtime, runId);

        Assert.Equal(RunStatus.Succeeded, run.Status);
        var steps = await runtime.Instance.Runs.GetStepsAsync(runId, CancellationToken.None);
        Assert.Equal(6, steps.Count);
        Assert.All(steps, s => Assert.Equal(StepStatus.Succeeded, s.Status));
        var order = _toy.Calls.Where(c => c.RunId == runId).Select(c => c.Step).ToList();
        foreach (var course in new[] { "a", "b" })
        {
            Assert.True(order.IndexOf($"toy/raw[{course}]") < order.IndexOf($"toy/clean[{course}]"));
            Assert.True(order.IndexOf($"toy/clean[{course}]") < order.IndexOf($"toy/summary[{course}]"));
        }
        var statuses = await runtime.Instance.Events.GetPartitionStatusesAsync(new("toy/summary"), CancellationToken.None);
        Assert.Equal(["a", "b"], statuses.Where(s => s.State == MaterializationState.Materialized).Select(s => s.Partition!.Value).Order());
        var materialization = (await runtime.Instance.Events.QueryAsync(new EventQuery { RunId = runId, Types = [EventType.Materialization] }, CancellationToken.None))
            .Single(e => e.Step!.ToString() == "toy/clean[b]");
        Assert.Equal("toy/raw=b", materialization.Metadata["upstream"].Display());
        Assert.Equal(10, materialization.Metadata["rows_out"].Value.GetInt64());
    }

    [Fact]
    public async Task FailingMiddleStep_SkipsItsDownstream_FailsTheRun_AndRecordsTheError()
    {
        _toy.Failing["toy/clean[b]"] = "course b has no clean data";
        await using var runtime = await OpenAsync(_toy.Definitions());
        var runId = await runtime.Coordinator.LaunchAsync(new RunRequest("toy/*") { AllPartitions = true }, CancellationToken.None);

        var run = await WaitAsync(runtime, runId);

        Assert.Equal(RunStatus.Failed, run.Status);
        var steps = (await runtime.Instance.Runs.GetStepsAsync(runId, CancellationToken.None)).ToDictionary(s => s.Key.ToString());
        Assert.Equal(StepStatus.Failed, steps["toy/clean[b]"].Status);
        Assert.Contains("course b has no clean data", steps["toy/clean[b]"].Error);
        Assert.Equal(StepStatus.Skipped, steps["toy/summary[b]"].Status);
        Assert.Equal(StepStatus.Succeeded, steps["toy/summary[a]"].Status);
        Assert.Equal(0, _toy.CallsOf(runId, "toy/summary[b]"));
        var failed = await runtime.Instance.Events.QueryAsync(new EventQuery { RunId = runId, Types = [EventType.StepFailed, EventType.StepSkipped, EventType.RunFailed] }, CancellationToken.None);
        Assert.Contains(failed, e => e.Type == EventType.StepFailed && e.Message.Contains("course b has no clean data") && e.Step!.ToString() == "toy/clean[b]");
        Assert.Contains(failed, e => e.Type == EventType.StepSkipped && e.Step!.ToString() == "toy/summary[b]");
        Assert.Contains(failed, e => e.Type == EventType.RunFailed);
        var status = await runtime.Instance.Events.GetPartitionStatusesAsync(new("toy/clean"), CancellationToken.None);
        Assert.Equal(MaterializationState.Failed, status.Single(s => s.Partition!.Value == "b").State);
    }

    [Fact]
    public async Task RetryPolicy_RunsTheStepAgain_AndTheRunSucceedsOnTheSecondAttempt()
    {
        _toy.CleanRetry = new RetryPolicy(2, TimeSpan.Zero);
        _toy.FailuresBeforeSuccess["toy/clean[a]"] = 1;
        await using var runtime = await OpenAsync(_toy.Definitions());
        var runId = await runtime.Coordinator.LaunchAsync(new RunRequest("toy/*") { Partitions = ["a"] }, CancellationToken.None);

        var run = await WaitAsync(runtime, runId);

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal([1, 2], _toy.Calls.Where(c => c.RunId == runId && c.Step == "toy/clean[a]").Select(c => c.Attempt).Order());
        var retries = await runtime.Instance.Events.QueryAsync(new EventQuery { RunId = runId, Types = [EventType.StepRetry] }, CancellationToken.None);
        Assert.Single(retries);
        Assert.Contains("transient failure 1", retries[0].Message);
        var step = (await runtime.Instance.Runs.GetStepsAsync(runId, CancellationToken.None)).Single(s => s.Key.ToString() == "toy/clean[a]");
        Assert.Equal(2, step.Attempt);
    }

    [Fact]
    public async Task Attempts_ADeterministicFailureHasOneAttempt_ATransientOneIsRetried_EachWithWhyItEnded()
    {
        _toy.CleanRetry = new RetryPolicy(3, TimeSpan.Zero);
        _toy.Blocked["toy/clean[a]"] = "gate: 40% of rows rejected";
        _toy.FailuresBeforeSuccess["toy/clean[b]"] = 1;
        await using var runtime = await OpenAsync(_toy.Definitions());
        var runId = await runtime.Coordinator.LaunchAsync(new RunRequest("toy/*") { AllPartitions = true }, CancellationToken.None);

        Assert.Equal(RunStatus.Failed, (await WaitAsync(runtime, runId)).Status);

        var attempts = StepAttempt.Of(await runtime.Instance.Events.QueryAsync(new EventQuery { RunId = runId, Limit = 10_000 }, CancellationToken.None));
        var blocked = Assert.Single(attempts.Single(a => a.Key.ToString() == "toy/clean[a]").Value);
        Assert.Equal(("failed", 1), (blocked.Outcome, blocked.Number));
        Assert.Contains("gate: 40% of rows rejected", blocked.Reason);
        var retried = attempts.Single(a => a.Key.ToString() == "toy/clean[b]").Value;
        Assert.Equal(["retried", "succeeded"], retried.Select(a => a.Outcome));
        Assert.Contains("transient failure 1", retried[0].Reason);
        Assert.Equal(1, _toy.CallsOf(runId, "toy/clean[a]"));
    }

    [Fact]
    public async Task Reexecute_RunsOnlyTheFailedAndSkippedSteps_AndSucceedsOnceFixed()
    {
        _toy.Failing["toy/clean[b]"] = "broken";
        await using var runtime = await OpenAsync(_toy.Definitions());
        var first = await runtime.Coordinator.LaunchAsync(new RunRequest("toy/*") { AllPartitions = true }, CancellationToken.None);
        Assert.Equal(RunStatus.Failed, (await WaitAsync(runtime, first)).Status);

        _toy.Failing.Clear();
        var second = await runtime.Coordinator.ReexecuteAsync(first, CancellationToken.None);
        var run = await WaitAsync(runtime, second);

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(first, run.ParentRunId);
        Assert.Equal(["toy/clean[b]", "toy/summary[b]"], _toy.Calls.Where(c => c.RunId == second).Select(c => c.Step).Order());
        var rerunOfSucceeded = await Assert.ThrowsAsync<RunLaunchException>(() => runtime.Coordinator.ReexecuteAsync(second, CancellationToken.None));
        Assert.Contains("nothing to re-execute", rerunOfSucceeded.Message);
    }

    [Fact]
    public async Task Cancel_StopsARunningRun_AndLeavesWaitingStepsCanceled()
    {
        _toy.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var runtime = await OpenAsync(_toy.Definitions());
        var runId = await runtime.Coordinator.LaunchAsync(new RunRequest("toy/*") { Partitions = ["a"] }, CancellationToken.None);
        await RunWatcherUntil(runtime, runId, s => s.Key.ToString() == "toy/clean[a]" && s.Status == StepStatus.Running);

        await runtime.Coordinator.CancelAsync(runId, CancellationToken.None);
        var run = await WaitAsync(runtime, runId);

        Assert.Equal(RunStatus.Canceled, run.Status);
        var steps = (await runtime.Instance.Runs.GetStepsAsync(runId, CancellationToken.None)).ToDictionary(s => s.Key.ToString());
        Assert.Equal(StepStatus.Succeeded, steps["toy/raw[a]"].Status);
        // Cancel means canceled: the running step ends canceled, not failed, and its partition shows the cancel.
        Assert.Equal((StepStatus.Canceled, "Canceled: the run was asked to stop."), (steps["toy/clean[a]"].Status, steps["toy/clean[a]"].Error));
        Assert.Equal(StepStatus.Canceled, steps["toy/summary[a]"].Status);
        Assert.Equal(0, _toy.CallsOf(runId, "toy/summary[a]"));
        var status = Assert.Single(await runtime.Instance.Events.GetPartitionStatusesAsync(new("toy/clean"), CancellationToken.None));
        Assert.Equal((MaterializationState.Canceled, runId), (status.State, status.RunId));
        Assert.Contains(await runtime.Instance.Events.QueryAsync(new EventQuery { RunId = runId, Types = [EventType.StepCanceled] }, CancellationToken.None),
            e => e.Step!.ToString() == "toy/clean[a]");
    }

    [Fact]
    public async Task TwoConcurrentRunsOverOverlappingAssets_EachExecuteEveryStepExactlyOnce()
    {
        await using var runtime = await OpenAsync(_toy.Definitions(), workers: 4);
        var launches = await Task.WhenAll(
            runtime.Coordinator.LaunchAsync(new RunRequest("toy/*") { AllPartitions = true }, CancellationToken.None),
            runtime.Coordinator.LaunchAsync(new RunRequest("+toy/clean") { AllPartitions = true }, CancellationToken.None));

        var runs = await Task.WhenAll(launches.Select(id => WaitAsync(runtime, id)));

        Assert.All(runs, r => Assert.Equal(RunStatus.Succeeded, r.Status));
        foreach (var runId in launches)
        {
            var steps = await runtime.Instance.Runs.GetStepsAsync(runId, CancellationToken.None);
            Assert.All(steps, s => Assert.Equal(1, _toy.CallsOf(runId, s.Key.ToString())));
        }
        Assert.Equal(6 + 4, _toy.Calls.Count);
        var statuses = await runtime.Instance.Events.GetAllStatusesAsync(CancellationToken.None);
        Assert.Equal(6, statuses.Count);
        Assert.All(statuses, s => Assert.Equal(MaterializationState.Materialized, s.State));
    }

    [Fact]
    public async Task FailureAroundTheAsset_EndsTheStepFailed_SoTheRunEndsInsteadOfWaiting()
    {
        await using var runtime = await OpenAsync(_toy.Definitions());
        // Every step uploads a summary to the observability bucket: a file where its folder belongs makes that upload fail.
        var bucket = Path.Combine(runtime.Options.Home, "lake", runtime.Options.BucketFor(Layers.Observability));
        if (Directory.Exists(bucket)) Directory.Delete(bucket, recursive: true);
        Directory.CreateDirectory(Path.GetDirectoryName(bucket)!);
        await File.WriteAllTextAsync(bucket, "not a folder");
        var runId = await runtime.Coordinator.LaunchAsync(new RunRequest("toy/*") { Partitions = ["a"] }, CancellationToken.None);

        var run = await WaitAsync(runtime, runId);

        Assert.Equal(RunStatus.Failed, run.Status);
        var steps = (await runtime.Instance.Runs.GetStepsAsync(runId, CancellationToken.None)).ToDictionary(s => s.Key.ToString());
        Assert.Equal(StepStatus.Failed, steps["toy/raw[a]"].Status);
        Assert.Contains("The worker failed around the step", steps["toy/raw[a]"].Error);
        Assert.Equal(StepStatus.Skipped, steps["toy/clean[a]"].Status);
        Assert.Equal(1, _toy.CallsOf(runId, "toy/raw[a]"));
        Assert.Equal(0, _toy.CallsOf(runId, "toy/clean[a]"));
    }

    [Fact]
    public async Task Launch_RefusesAnUpstreamNeverMaterialized_StoringNothing_AndAcceptsItOnceItIs()
    {
        await using var runtime = await OpenAsync(_toy.Definitions());

        var error = await Assert.ThrowsAsync<RunPlanException>(() => runtime.Coordinator.LaunchAsync(new RunRequest("toy/clean") { Partitions = ["a"] }, CancellationToken.None));

        Assert.Contains("toy/clean[a] reads toy/raw 'a', which has never been materialized", error.Message);
        Assert.Empty(await runtime.Instance.Runs.ListRunsAsync(new RunQuery(), CancellationToken.None));
        Assert.Empty(_toy.Calls);

        var raw = await runtime.Coordinator.LaunchAsync(new RunRequest("toy/raw") { Partitions = ["a"] }, CancellationToken.None);
        Assert.Equal(RunStatus.Succeeded, (await WaitAsync(runtime, raw)).Status);
        var clean = await runtime.Coordinator.LaunchAsync(new RunRequest("toy/clean") { Partitions = ["a"] }, CancellationToken.None);
        Assert.Equal(RunStatus.Succeeded, (await WaitAsync(runtime, clean)).Status);
        // b's raw partition still never ran.
        await Assert.ThrowsAsync<RunPlanException>(() => runtime.Coordinator.LaunchAsync(new RunRequest("toy/clean") { Partitions = ["a", "b"] }, CancellationToken.None));
        Assert.Equal(2, (await runtime.Instance.Runs.ListRunsAsync(new RunQuery(), CancellationToken.None)).Count);
    }

    [Theory]
    [InlineData("z", "is not a partition of dimension 'course'")]
    [InlineData("a/b", "cannot hold '/'")]
    [InlineData("..", "cannot hold '..'")]
    public async Task Launch_RefusesAPartitionTheAssetDoesNotHave_StoringNothing(string partition, string why)
    {
        await using var runtime = await OpenAsync(_toy.Definitions());

        var error = await Assert.ThrowsAsync<RunPlanException>(() => runtime.Coordinator.LaunchAsync(new RunRequest("toy/*") { Partitions = ["a", partition] }, CancellationToken.None));

        Assert.Contains(why, error.Message);
        Assert.Empty(await runtime.Instance.Runs.ListRunsAsync(new RunQuery(), CancellationToken.None));
    }

    [Fact]
    public async Task Launch_StoresDuplicatedPartitionsOnce()
    {
        await using var runtime = await OpenAsync(_toy.Definitions());

        var runId = await runtime.Coordinator.LaunchAsync(new RunRequest("toy/*") { Partitions = [.. Enumerable.Repeat("a", 50_000), "b", "a"] }, CancellationToken.None);

        var run = await WaitAsync(runtime, runId);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(["a", "b"], run.Partitions);
        Assert.Equal(6, (await runtime.Instance.Runs.GetStepsAsync(runId, CancellationToken.None)).Count);
        Assert.Equal(6, _toy.Calls.Count(c => c.RunId == runId));
    }

    [Fact]
    public async Task Watcher_ReportsEveryStepRunningBeforeItsEnd_EvenWhenTheStepRanBetweenTwoPolls()
    {
        await using var runtime = await OpenAsync(_toy.Definitions());
        var runId = await runtime.Coordinator.LaunchAsync(new RunRequest("toy/*") { AllPartitions = true }, CancellationToken.None);
        var reported = new List<StepRecord>();

        // Polls seconds apart: the toy's steps start and end between two of them.
        var run = await RunWatcher.WaitAsync(runtime.Instance.Runs, runId, reported.Add, TimeSpan.FromSeconds(2), new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);

        Assert.Equal(RunStatus.Succeeded, run.Status);
        foreach (var step in reported.GroupBy(r => r.Key.ToString()))
        {
            var statuses = step.Select(r => r.Status).Where(s => s != StepStatus.Queued).ToList();
            Assert.True(statuses.SequenceEqual([StepStatus.Running, StepStatus.Succeeded]), $"{step.Key}: reported {string.Join(", ", statuses)}");
            Assert.Null(step.Single(r => r.Status == StepStatus.Running).EndedAt);
        }
        Assert.Equal(6, reported.Select(r => r.Key).Distinct().Count());
    }

    protected static async Task RunWatcherUntil(LakehouseRuntime runtime, string runId, Func<StepRecord, bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!(await runtime.Instance.Runs.GetStepsAsync(runId, timeout.Token)).Any(condition))
            await Task.Delay(Poll, timeout.Token);
    }
}
