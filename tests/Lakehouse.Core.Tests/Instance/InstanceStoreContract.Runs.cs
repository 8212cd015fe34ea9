using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Tests.Instance;

public abstract partial class InstanceStoreContract
{
    [Fact]
    public async Task CreateRun_StoresRunQueuedWithItsPlan()
    {
        var a = Step("silver/x", "course_id=c1,ingest_date=2025-06-01");
        var b = Step("gold/y");
        var run = new RunRecord("r1", RunStatus.Queued, "+gold/y", T0)
        {
            Partitions = ["c1", "2025-06-01"],
            Tags = new Dictionary<string, string> { ["trigger"] = "cli", ["user"] = "ana" },
            ParentRunId = "r0",
        };
        await Runs.CreateRunAsync(run, [new StepRecord("r1", a, StepStatus.Pending, []), new StepRecord("r1", b, StepStatus.Pending, [a])], None);

        var stored = await Runs.GetRunAsync("r1", None);
        Assert.NotNull(stored);
        Assert.Equal(("r1", RunStatus.Queued, "+gold/y", T0, "r0"), (stored.RunId, stored.Status, stored.Selection, stored.CreatedAt, stored.ParentRunId));
        Assert.Equal(["c1", "2025-06-01"], stored.Partitions);
        Assert.Equal(run.Tags, stored.Tags);
        Assert.Null(stored.StartedAt);
        var steps = await Runs.GetStepsAsync("r1", None);
        Assert.Equal([a, b], steps.Select(s => s.Key));
        Assert.All(steps, s => Assert.Equal(StepStatus.Pending, s.Status));
        Assert.Empty(steps[0].DependsOn);
        Assert.Equal([a], steps[1].DependsOn);
        Assert.Null(await Runs.GetRunAsync("nope", None));
    }

    [Fact]
    public async Task CreateRun_Rejects_AStepDependingOnAStepOutsideThePlan()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => CreateRunAsync((Step("t/b"), [Step("t/missing")])));
        Assert.Contains("t/missing", error.Message);
    }

    [Fact]
    public async Task ListRuns_FiltersByStatusAssetAndPartition_NewestFirst()
    {
        async Task Create(string id, int second, StepKey step) =>
            await Runs.CreateRunAsync(new RunRecord(id, RunStatus.Queued, "x", At(second)), [new StepRecord(id, step, StepStatus.Pending, [])], None);
        await Create("old", 1, Step("silver/a", "p1"));
        await Create("mid", 2, Step("silver/b", "p2"));
        await Create("new", 3, Step("silver/a", "p2"));
        await Runs.StartRunAsync("mid", At(4), None);

        Assert.Equal(["new", "mid", "old"], (await Runs.ListRunsAsync(new RunQuery(), None)).Select(r => r.RunId));
        Assert.Equal(["new", "mid"], (await Runs.ListRunsAsync(new RunQuery { Limit = 2 }, None)).Select(r => r.RunId));
        Assert.Equal(["mid"], (await Runs.ListRunsAsync(new RunQuery { Status = RunStatus.Running }, None)).Select(r => r.RunId));
        Assert.Equal(["new", "old"], (await Runs.ListRunsAsync(new RunQuery { Asset = new AssetKey("silver/a") }, None)).Select(r => r.RunId));
        Assert.Equal(["new", "mid"], (await Runs.ListRunsAsync(new RunQuery { Partition = new PartitionKey("p2") }, None)).Select(r => r.RunId));
        Assert.Equal(["new"], (await Runs.ListRunsAsync(new RunQuery { Asset = new AssetKey("silver/a"), Partition = new PartitionKey("p2") }, None)).Select(r => r.RunId));
    }

    [Fact]
    public async Task ListRuns_ByParent_ReturnsTheReexecutionsOfThatRunOnly()
    {
        async Task Create(string id, int second, string? parent) =>
            await Runs.CreateRunAsync(new RunRecord(id, RunStatus.Queued, "x", At(second)) { ParentRunId = parent }, [new StepRecord(id, Step("silver/a", "p1"), StepStatus.Pending, [])], None);
        await Create("first", 1, null);
        await Create("retry-1", 2, "first");
        await Create("other", 3, null);
        await Create("retry-2", 4, "first");
        await Create("retry-of-retry", 5, "retry-1");

        Assert.Equal(["retry-2", "retry-1"], (await Runs.ListRunsAsync(new RunQuery { ParentRunId = "first" }, None)).Select(r => r.RunId));
        Assert.Equal(["retry-of-retry"], (await Runs.ListRunsAsync(new RunQuery { ParentRunId = "retry-1" }, None)).Select(r => r.RunId));
        Assert.Empty(await Runs.ListRunsAsync(new RunQuery { ParentRunId = "other" }, None));
    }

    [Fact]
    public async Task StartRun_QueuesOnlyStepsWithoutUpstream_AndMarksTheRunRunning()
    {
        var runId = await CreateRunAsync(Diamond());
        var progress = await Runs.StartRunAsync(runId, At(1), None);

        Assert.Equal([Step("t/a")], progress.ReadyToEnqueue);
        Assert.Null(progress.RunEnded);
        var run = await Runs.GetRunAsync(runId, None);
        Assert.Equal(RunStatus.Running, run!.Status);
        Assert.Equal(At(1), run.StartedAt);
        Assert.Equal(StepStatus.Queued, (await StatusesAsync(runId))[Step("t/a")]);
        Assert.Empty((await Runs.StartRunAsync(runId, At(2), None)).ReadyToEnqueue);
    }

    [Fact]
    public async Task CompleteStep_ReturnsTheFanInChildExactlyOnce_WhenParentsCompleteConcurrently()
    {
        for (var round = 0; round < 10; round++)
        {
            var parents = Enumerable.Range(0, 6).Select(i => Step($"t/p{i}")).ToArray();
            var child = Step("t/child");
            var runId = await CreateRunAsync([.. parents.Select(p => (p, Array.Empty<StepKey>())), (child, parents)]);
            Assert.Equal(parents, (await Runs.StartRunAsync(runId, At(1), None)).ReadyToEnqueue);
            foreach (var p in parents) Assert.True(await Runs.TryStartStepAsync(runId, p, 1, At(2), None));

            var progress = await Task.WhenAll(parents.Select(p => Task.Run(() => Runs.CompleteStepAsync(runId, p, StepOutcome.Success, At(3), None))));

            Assert.Equal([child], progress.SelectMany(p => p.ReadyToEnqueue));
            Assert.All(progress, p => Assert.Null(p.RunEnded));
            Assert.Equal(StepStatus.Queued, (await StatusesAsync(runId))[child]);
        }
    }

    [Fact]
    public async Task CompleteStep_QueuesTheDiamondChildOnce_WhenBothBranchesFinishInParallel()
    {
        var runId = await CreateRunAsync(Diamond());
        await Runs.StartRunAsync(runId, At(1), None);
        Assert.Equal([Step("t/b"), Step("t/c")], (await RunStepAsync(runId, Step("t/a"))).ReadyToEnqueue);
        Assert.True(await Runs.TryStartStepAsync(runId, Step("t/b"), 1, At(2), None));
        Assert.True(await Runs.TryStartStepAsync(runId, Step("t/c"), 1, At(2), None));

        var both = await Task.WhenAll(
            Task.Run(() => Runs.CompleteStepAsync(runId, Step("t/b"), StepOutcome.Success, At(3), None)),
            Task.Run(() => Runs.CompleteStepAsync(runId, Step("t/c"), StepOutcome.Success, At(3), None)));

        Assert.Equal([Step("t/d")], both.SelectMany(p => p.ReadyToEnqueue));
        var last = await RunStepAsync(runId, Step("t/d"));
        Assert.Equal(RunStatus.Succeeded, last.RunEnded);
        var run = await Runs.GetRunAsync(runId, None);
        Assert.Equal(RunStatus.Succeeded, run!.Status);
        Assert.Equal(At(20), run.EndedAt);
        Assert.All(await Runs.GetStepsAsync(runId, None), s => Assert.Equal(StepStatus.Succeeded, s.Status));
    }

    [Fact]
    public async Task CompleteStep_SkipsEveryTransitiveDependent_OfAFailedStep_ButNotAnIndependentBranch()
    {
        // a → b → c → d, and e → f beside it.
        var runId = await CreateRunAsync(
            (Step("t/a"), []), (Step("t/b"), [Step("t/a")]), (Step("t/c"), [Step("t/b")]), (Step("t/d"), [Step("t/c"), Step("t/f")]),
            (Step("t/e"), []), (Step("t/f"), [Step("t/e")]));
        Assert.Equal([Step("t/a"), Step("t/e")], (await Runs.StartRunAsync(runId, At(1), None)).ReadyToEnqueue);

        var failed = await RunStepAsync(runId, Step("t/a"), succeed: false);

        Assert.Equal([Step("t/b"), Step("t/c"), Step("t/d")], failed.Skipped.OrderBy(s => s.ToString()));
        Assert.Empty(failed.ReadyToEnqueue);
        Assert.Null(failed.RunEnded);
        var statuses = await StatusesAsync(runId);
        Assert.Equal(StepStatus.Failed, statuses[Step("t/a")]);
        Assert.Equal(StepStatus.Queued, statuses[Step("t/e")]);
        Assert.Equal(StepStatus.Pending, statuses[Step("t/f")]);
        Assert.Equal("t/a broke", (await Runs.GetStepsAsync(runId, None)).Single(s => s.Key == Step("t/a")).Error);

        Assert.Equal([Step("t/f")], (await RunStepAsync(runId, Step("t/e"))).ReadyToEnqueue);
        var end = await RunStepAsync(runId, Step("t/f"));
        Assert.Empty(end.ReadyToEnqueue);
        Assert.Equal(RunStatus.Failed, end.RunEnded);
        Assert.Equal(RunStatus.Failed, (await Runs.GetRunAsync(runId, None))!.Status);
    }

    [Fact]
    public async Task StartRun_OfAReexecution_QueuesStepsWhoseUpstreamAlreadySucceeded()
    {
        var runId = "rerun";
        var plan = Diamond();
        var pre = new HashSet<StepKey> { Step("t/a"), Step("t/b") };
        await Runs.CreateRunAsync(new RunRecord(runId, RunStatus.Queued, "t/*", T0) { ParentRunId = "first" },
            plan.Select(p => new StepRecord(runId, p.Step, pre.Contains(p.Step) ? StepStatus.Succeeded : StepStatus.Pending, p.DependsOn)).ToList(), None);

        var progress = await Runs.StartRunAsync(runId, At(1), None);

        Assert.Equal([Step("t/c")], progress.ReadyToEnqueue);
        Assert.Equal([Step("t/d")], (await RunStepAsync(runId, Step("t/c"))).ReadyToEnqueue);
        Assert.Equal(RunStatus.Succeeded, (await RunStepAsync(runId, Step("t/d"))).RunEnded);
    }

    [Fact]
    public async Task StartRun_EndsTheRunSucceeded_WhenEveryStepOfTheReexecutionAlreadySucceeded()
    {
        await Runs.CreateRunAsync(new RunRecord("done", RunStatus.Queued, "t/a", T0), [new StepRecord("done", Step("t/a"), StepStatus.Succeeded, [])], None);
        var progress = await Runs.StartRunAsync("done", At(1), None);
        Assert.Empty(progress.ReadyToEnqueue);
        Assert.Equal(RunStatus.Succeeded, progress.RunEnded);
    }

    [Fact]
    public async Task TryStartStep_LetsExactlyOneOfManyDuplicateJobsRun()
    {
        var runId = await CreateRunAsync((Step("t/a"), []));
        await Runs.StartRunAsync(runId, At(1), None);

        var started = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Runs.TryStartStepAsync(runId, Step("t/a"), 1, At(2), None))));

        Assert.Single(started, s => s);
        var step = (await Runs.GetStepsAsync(runId, None)).Single();
        Assert.Equal((StepStatus.Running, 1, (DateTimeOffset?)At(2)), (step.Status, step.Attempt, step.StartedAt));
        Assert.False(await Runs.TryStartStepAsync(runId, Step("t/a"), 1, At(3), None));
    }

    [Fact]
    public async Task TryStartStep_IsRefused_ForAStepThatIsNotQueuedYet()
    {
        var runId = await CreateRunAsync(Diamond());
        Assert.False(await Runs.TryStartStepAsync(runId, Step("t/a"), 1, At(1), None));
        await Runs.StartRunAsync(runId, At(1), None);
        Assert.False(await Runs.TryStartStepAsync(runId, Step("t/d"), 1, At(1), None));
    }

    [Fact]
    public async Task RequeueStep_QueuesTheStepAgainWithTheNextAttempt_AndRefusesTheStaleAttempt()
    {
        var runId = await CreateRunAsync(Diamond());
        await Runs.StartRunAsync(runId, At(1), None);
        Assert.True(await Runs.TryStartStepAsync(runId, Step("t/a"), 1, At(2), None));

        await Runs.RequeueStepAsync(runId, Step("t/a"), 2, None);

        var step = (await Runs.GetStepsAsync(runId, None)).Single(s => s.Key == Step("t/a"));
        Assert.Equal((StepStatus.Queued, 2), (step.Status, step.Attempt));
        Assert.False(await Runs.TryStartStepAsync(runId, Step("t/a"), 1, At(3), None));
        Assert.True(await Runs.TryStartStepAsync(runId, Step("t/a"), 2, At(3), None));
        Assert.Equal([Step("t/b"), Step("t/c")], (await Runs.CompleteStepAsync(runId, Step("t/a"), StepOutcome.Success, At(4), None)).ReadyToEnqueue);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Runs.RequeueStepAsync(runId, Step("t/a"), 3, None));
    }

    [Fact]
    public async Task CompleteStep_ReportedTwice_ChangesNothingTheSecondTime()
    {
        var runId = await CreateRunAsync(Diamond());
        await Runs.StartRunAsync(runId, At(1), None);
        Assert.Equal(2, (await RunStepAsync(runId, Step("t/a"))).ReadyToEnqueue.Count);
        var again = await Runs.CompleteStepAsync(runId, Step("t/a"), StepOutcome.Failure("late"), At(30), None);
        Assert.Empty(again.ReadyToEnqueue);
        Assert.Empty(again.Skipped);
        Assert.Equal(StepStatus.Succeeded, (await StatusesAsync(runId))[Step("t/a")]);
    }

    [Fact]
    public async Task CancelRun_CancelsEveryWaitingStep_AndEndsTheRun_WhenNothingRuns()
    {
        var runId = await CreateRunAsync(Diamond());
        await Runs.StartRunAsync(runId, At(1), None);

        Assert.True(await Runs.CancelRunAsync(runId, At(5), None));

        var run = await Runs.GetRunAsync(runId, None);
        Assert.Equal((RunStatus.Canceled, (DateTimeOffset?)At(5)), (run!.Status, run.EndedAt));
        Assert.All(await Runs.GetStepsAsync(runId, None), s => Assert.Equal(StepStatus.Canceled, s.Status));
        Assert.False(await Runs.TryStartStepAsync(runId, Step("t/a"), 1, At(6), None));
        Assert.False(await Runs.CancelRunAsync(runId, At(7), None));
    }

    [Fact]
    public async Task CancelRun_WhileAStepRuns_EndsCanceledWhenThatStepCompletes_WithoutQueuingItsDependents()
    {
        var runId = await CreateRunAsync(Diamond());
        await Runs.StartRunAsync(runId, At(1), None);
        Assert.True(await Runs.TryStartStepAsync(runId, Step("t/a"), 1, At(2), None));

        Assert.True(await Runs.CancelRunAsync(runId, At(3), None));

        Assert.Equal(RunStatus.Canceling, (await Runs.GetRunAsync(runId, None))!.Status);
        var statuses = await StatusesAsync(runId);
        Assert.Equal(StepStatus.Running, statuses[Step("t/a")]);
        Assert.Equal(StepStatus.Canceled, statuses[Step("t/d")]);

        var end = await Runs.CompleteStepAsync(runId, Step("t/a"), StepOutcome.Success, At(4), None);

        Assert.Empty(end.ReadyToEnqueue);
        Assert.Equal(RunStatus.Canceled, end.RunEnded);
        Assert.Equal(RunStatus.Canceled, (await Runs.GetRunAsync(runId, None))!.Status);
        Assert.Equal(StepStatus.Succeeded, (await StatusesAsync(runId))[Step("t/a")]);
    }

    [Fact]
    public async Task RequeueStep_WhileTheRunIsCanceling_CancelsTheStepAndEndsTheRun()
    {
        var runId = await CreateRunAsync((Step("t/a"), []));
        await Runs.StartRunAsync(runId, At(1), None);
        Assert.True(await Runs.TryStartStepAsync(runId, Step("t/a"), 1, At(2), None));
        Assert.True(await Runs.CancelRunAsync(runId, At(3), None));

        await Runs.RequeueStepAsync(runId, Step("t/a"), 2, None);

        Assert.Equal(StepStatus.Canceled, (await StatusesAsync(runId))[Step("t/a")]);
        Assert.Equal(RunStatus.Canceled, (await Runs.GetRunAsync(runId, None))!.Status);
        Assert.False(await Runs.TryStartStepAsync(runId, Step("t/a"), 2, At(4), None));
    }

    [Fact]
    public async Task CancelRun_OfAQueuedRun_EndsItBeforeItStarts()
    {
        var runId = await CreateRunAsync(Diamond());
        Assert.True(await Runs.CancelRunAsync(runId, At(1), None));
        Assert.Equal(RunStatus.Canceled, (await Runs.GetRunAsync(runId, None))!.Status);
        Assert.Empty((await Runs.StartRunAsync(runId, At(2), None)).ReadyToEnqueue);
        Assert.Equal(RunStatus.Canceled, (await Runs.GetRunAsync(runId, None))!.Status);
    }

    [Fact]
    public async Task CompleteStep_SkipsEachStepBelowAFailureOnce_WhenTwoPathsLeadToIt()
    {
        var runId = await CreateRunAsync(Diamond());
        await Runs.StartRunAsync(runId, At(1), None);

        var failed = await RunStepAsync(runId, Step("t/a"), succeed: false);

        Assert.Equal([Step("t/b"), Step("t/c"), Step("t/d")], failed.Skipped.OrderBy(s => s.ToString()));
        Assert.Equal(RunStatus.Failed, failed.RunEnded);
        var steps = await Runs.GetStepsAsync(runId, None);
        Assert.All(steps.Where(s => s.Key != Step("t/a")), s => Assert.Equal((StepStatus.Skipped, (DateTimeOffset?)At(20)), (s.Status, s.EndedAt)));
    }

    [Fact]
    public async Task Transitions_NameTheRunAndStep_WhenEitherIsUnknown()
    {
        var runId = await CreateRunAsync(Diamond());
        await Runs.StartRunAsync(runId, At(1), None);

        var noStep = await Assert.ThrowsAsync<KeyNotFoundException>(() => Runs.TryStartStepAsync(runId, Step("t/zz"), 1, At(2), None));
        Assert.Contains("t/zz", noStep.Message);
        Assert.Contains(runId, noStep.Message);
        var noRun = await Assert.ThrowsAsync<KeyNotFoundException>(() => Runs.CompleteStepAsync("ghost", Step("t/a"), StepOutcome.Success, At(2), None));
        Assert.Contains("ghost", noRun.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Runs.CompleteStepAsync(runId, Step("t/a"), StepOutcome.Success, At(2), None));
    }

    [Fact]
    public async Task CreateRun_Rejects_ARunIdThatIsTaken_AndKeepsTheFirstRun()
    {
        var runId = await CreateRunAsync(Diamond());
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Runs.CreateRunAsync(new RunRecord(runId, RunStatus.Queued, "other", T0), [new StepRecord(runId, Step("t/z"), StepStatus.Pending, [])], None));
        Assert.Contains(runId, error.Message);
        Assert.Equal([Step("t/a"), Step("t/b"), Step("t/c"), Step("t/d")], (await Runs.GetStepsAsync(runId, None)).Select(s => s.Key));
        Assert.Equal("test/*", (await Runs.GetRunAsync(runId, None))!.Selection);
    }

    [Fact]
    public async Task Reads_RejectALimitBelowOne()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Runs.ListRunsAsync(new RunQuery { Limit = 0 }, None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Events.QueryAsync(new EventQuery { Limit = -1 }, None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Instance.Scheduling.GetTicksAsync("s", 0, None));
    }
}
