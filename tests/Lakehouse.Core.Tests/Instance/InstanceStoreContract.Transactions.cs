using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Tests.Instance;

public abstract partial class InstanceStoreContract
{
    private static EventRecord StepEvent(EventType type, string runId, StepKey step, int second, string message = "") =>
        new(type, runId, At(second)) { Step = step, Message = message };

    private async Task<IReadOnlyList<EventRecord>> RunEventsAsync(string runId) =>
        await Events.QueryAsync(new EventQuery { RunId = runId }, None);

    [Fact]
    public async Task Transaction_WritesNothingBeforeItsCommit_AndEverythingAtIt()
    {
        var runId = await CreateRunAsync(Diamond());
        var transaction = Instance.BeginTransaction();
        transaction.StartRun(runId, At(1));
        transaction.Append([new EventRecord(EventType.RunStarted, runId, At(1)) { Message = "go" }]);

        Assert.Equal(RunStatus.Queued, (await Runs.GetRunAsync(runId, None))!.Status);
        Assert.Empty(await RunEventsAsync(runId));

        var commit = await transaction.CommitAsync(None);

        Assert.Equal([new QueuedStep(runId, Step("t/a"), 1, TimeSpan.Zero)], commit.ToEnqueue);
        Assert.Equal(RunStatus.Running, (await Runs.GetRunAsync(runId, None))!.Status);
        Assert.Equal(["go"], (await RunEventsAsync(runId)).Select(e => e.Message));
    }

    [Fact]
    public async Task Transaction_Claim_WritesItsStartedEventOnlyWhenItClaims_AndReturnsTheStoredReads()
    {
        var a = Step("silver/x", "p1");
        var reads = new Dictionary<AssetKey, IReadOnlyList<PartitionKey>>
        {
            [new AssetKey("bronze/raw")] = [new PartitionKey("p0"), new PartitionKey("p1")],
            [new AssetKey("bronze/none")] = [],
        };
        const string runId = "claims";
        await Runs.CreateRunAsync(new RunRecord(runId, RunStatus.Queued, "silver/x", T0), [new StepRecord(runId, a, StepStatus.Pending, []) { UpstreamPartitions = reads }], None);
        await Runs.StartRunAsync(runId, At(1), None);

        var first = Instance.BeginTransaction();
        first.ClaimStep(runId, a, 1, At(2), StepEvent(EventType.StepStarted, runId, a, 2, "started"));
        var claimed = Assert.Single((await first.CommitAsync(None)).Claimed);
        var duplicate = Instance.BeginTransaction();
        duplicate.ClaimStep(runId, a, 1, At(3), StepEvent(EventType.StepStarted, runId, a, 3, "started again"));

        Assert.Empty((await duplicate.CommitAsync(None)).Claimed);
        Assert.Equal((a, StepStatus.Running, 1), (claimed.Key, claimed.Status, claimed.Attempt));
        Assert.Equal(reads.Keys, claimed.UpstreamPartitions.Keys);
        Assert.Equal(["p0", "p1"], claimed.UpstreamPartitions[new AssetKey("bronze/raw")].Select(p => p.Value));
        Assert.Empty(claimed.UpstreamPartitions[new AssetKey("bronze/none")]);
        Assert.Equal(["started"], (await RunEventsAsync(runId)).Select(e => e.Message));
        Assert.Equal(reads.Keys, (await Runs.GetStepsAsync(runId, None)).Single().UpstreamPartitions.Keys);
    }

    [Fact]
    public async Task Transaction_ClaimReadyStep_ClaimsTheFirstStepTheEndMadeReady_AndLeavesTheOthersToEnqueue()
    {
        // a → b, a → c: a's end makes both ready; the same commit claims b.
        var runId = await CreateRunAsync((Step("t/a"), []), (Step("t/b"), [Step("t/a")]), (Step("t/c"), [Step("t/a")]));
        await Runs.StartRunAsync(runId, At(1), None);
        Assert.True(await Runs.TryStartStepAsync(runId, Step("t/a"), 1, At(2), None));

        var end = Instance.BeginTransaction();
        end.CompleteStep(runId, Step("t/a"), 1, StepOutcome.Success, At(3), StepEvent(EventType.StepSucceeded, runId, Step("t/a"), 3, "a done"));
        end.ClaimReadyStep(At(3), ready => StepEvent(EventType.StepStarted, ready.RunId, ready.Step, 3, $"{ready.Step} started"));
        var commit = await end.CommitAsync(None);

        var claimed = Assert.Single(commit.Claimed);
        Assert.Equal((Step("t/b"), StepStatus.Running, 1), (claimed.Key, claimed.Status, claimed.Attempt));
        Assert.Equal([new QueuedStep(runId, Step("t/c"), 1, TimeSpan.Zero)], commit.ToEnqueue);
        var steps = (await Runs.GetStepsAsync(runId, None)).ToDictionary(s => s.Key.ToString(), s => s.Status);
        Assert.Equal((StepStatus.Succeeded, StepStatus.Running, StepStatus.Queued), (steps["t/a"], steps["t/b"], steps["t/c"]));
        Assert.Equal(["a done", "t/b started"], (await RunEventsAsync(runId)).Select(e => e.Message));

        // b fails: nothing becomes ready, so nothing is claimed (c is already queued, not made ready by this end).
        var failed = Instance.BeginTransaction();
        failed.CompleteStep(runId, Step("t/b"), 1, StepOutcome.Failure("broke"), At(4));
        failed.ClaimReadyStep(At(4), ready => StepEvent(EventType.StepStarted, ready.RunId, ready.Step, 4, "never"));
        var after = await failed.CommitAsync(None);
        Assert.Empty(after.Claimed);
        Assert.Equal(StepStatus.Queued, (await Runs.GetStepsAsync(runId, None)).Single(s => s.Key == Step("t/c")).Status);
    }

    [Fact]
    public async Task Transaction_StepEnd_IsOneCommit_OfEventsStatusSkipsAndTheRunsEnd()
    {
        // a → b → c: a fails, so b and c are skipped and the run ends, all in the commit of a's end.
        var runId = await CreateRunAsync((Step("t/a"), []), (Step("t/b"), [Step("t/a")]), (Step("t/c"), [Step("t/b")]));
        await Runs.StartRunAsync(runId, At(1), None);
        Assert.True(await Runs.TryStartStepAsync(runId, Step("t/a"), 1, At(2), None));

        var end = Instance.BeginTransaction();
        end.Append([StepEvent(EventType.Log, runId, Step("t/a"), 3, "line")]);
        end.CompleteStep(runId, Step("t/a"), 1, StepOutcome.Failure("broke"), At(4), StepEvent(EventType.StepFailed, runId, Step("t/a"), 4, "broke"));
        var commit = await end.CommitAsync(None);

        Assert.Equal([new RunStep(runId, Step("t/a"))], commit.Completed);
        Assert.Equal([Step("t/b"), Step("t/c")], commit.Skipped.Select(s => s.Step).OrderBy(s => s.ToString()));
        Assert.Equal(RunStatus.Failed, commit.RunsEnded[runId]);
        Assert.Empty(commit.ToEnqueue);
        var events = await RunEventsAsync(runId);
        Assert.Equal([EventType.Log, EventType.StepFailed, EventType.StepSkipped, EventType.StepSkipped, EventType.RunFailed], events.Select(e => e.Type));
        Assert.Equal(MaterializationState.Failed, (await Events.GetPartitionStatusesAsync(new AssetKey("t/a"), None)).Single().State);
        Assert.Equal(RunStatus.Failed, (await Runs.GetRunAsync(runId, None))!.Status);
    }

    [Fact]
    public async Task Transaction_Completion_OfAnotherAttemptOrAnEndedStep_ChangesAndWritesNothing()
    {
        var runId = await CreateRunAsync((Step("t/a"), []));
        await Runs.StartRunAsync(runId, At(1), None);
        Assert.True(await Runs.TryStartStepAsync(runId, Step("t/a"), 1, At(2), None));

        var stale = Instance.BeginTransaction();
        stale.CompleteStep(runId, Step("t/a"), 2, StepOutcome.Success, At(3), StepEvent(EventType.StepSucceeded, runId, Step("t/a"), 3));
        Assert.Empty((await stale.CommitAsync(None)).Completed);
        Assert.Equal(StepStatus.Running, (await StatusesAsync(runId))[Step("t/a")]);

        var real = Instance.BeginTransaction();
        real.CompleteStep(runId, Step("t/a"), 1, StepOutcome.Success, At(4), StepEvent(EventType.StepSucceeded, runId, Step("t/a"), 4));
        Assert.Equal(RunStatus.Succeeded, (await real.CommitAsync(None)).RunsEnded[runId]);
        var late = Instance.BeginTransaction();
        late.CompleteStep(runId, Step("t/a"), 1, StepOutcome.Failure("late"), At(5), StepEvent(EventType.StepFailed, runId, Step("t/a"), 5));
        Assert.Empty((await late.CommitAsync(None)).Completed);

        Assert.Equal([EventType.StepSucceeded, EventType.RunSucceeded], (await RunEventsAsync(runId)).Select(e => e.Type));
    }

    [Fact]
    public async Task Transaction_Requeue_QueuesTheNextAttemptWithItsDelay_OnlyForTheRunningAttempt()
    {
        var runId = await CreateRunAsync((Step("t/a"), []));
        await Runs.StartRunAsync(runId, At(1), None);
        Assert.True(await Runs.TryStartStepAsync(runId, Step("t/a"), 1, At(2), None));

        var retry = Instance.BeginTransaction();
        retry.RequeueStep(runId, Step("t/a"), 1, At(3), TimeSpan.FromSeconds(4), StepEvent(EventType.StepRetry, runId, Step("t/a"), 3, "again"));
        Assert.Equal([new QueuedStep(runId, Step("t/a"), 2, TimeSpan.FromSeconds(4))], (await retry.CommitAsync(None)).ToEnqueue);
        var stale = Instance.BeginTransaction();
        stale.RequeueStep(runId, Step("t/a"), 1, At(4), TimeSpan.Zero, StepEvent(EventType.StepRetry, runId, Step("t/a"), 4, "stale"));
        Assert.Empty((await stale.CommitAsync(None)).ToEnqueue);

        var step = (await Runs.GetStepsAsync(runId, None)).Single();
        Assert.Equal((StepStatus.Queued, 2), (step.Status, step.Attempt));
        Assert.Equal(["again"], (await RunEventsAsync(runId)).Select(e => e.Message));
    }

    [Fact]
    public async Task Transaction_Cancel_EndsAnIdleRunWithItsEndEvent()
    {
        var runId = await CreateRunAsync(Diamond());
        await Runs.StartRunAsync(runId, At(1), None);
        var cancel = Instance.BeginTransaction();
        cancel.CancelRun(runId, At(2));

        var commit = await cancel.CommitAsync(None);

        Assert.Equal([runId], commit.CancelsApplied);
        Assert.Equal(RunStatus.Canceled, commit.RunsEnded[runId]);
        Assert.Equal([EventType.RunCanceled], (await RunEventsAsync(runId)).Select(e => e.Type));
    }

    [Fact]
    public async Task Transaction_ThatFails_WritesNothing()
    {
        var runId = await CreateRunAsync((Step("t/a"), []));
        var transaction = Instance.BeginTransaction();
        transaction.Append([StepEvent(EventType.Log, runId, Step("t/a"), 1, "lost")]);
        transaction.StartRun(runId, At(1));
        transaction.ClaimStep(runId, Step("t/missing"), 1, At(2));

        await Assert.ThrowsAsync<KeyNotFoundException>(() => transaction.CommitAsync(None));

        Assert.Empty(await RunEventsAsync(runId));
        Assert.Equal(RunStatus.Queued, (await Runs.GetRunAsync(runId, None))!.Status);
        Assert.Equal(StepStatus.Pending, (await StatusesAsync(runId))[Step("t/a")]);

        // The next write (on SQLite, over the same kept writer connection) starts clean: only its own operations land.
        var next = Instance.BeginTransaction();
        next.StartRun(runId, At(3));
        next.Append([StepEvent(EventType.Log, runId, Step("t/a"), 3, "kept")]);
        Assert.Equal([new QueuedStep(runId, Step("t/a"), 1, TimeSpan.Zero)], (await next.CommitAsync(None)).ToEnqueue);
        Assert.Equal(["kept"], (await RunEventsAsync(runId)).Select(e => e.Message));
        Assert.Equal(RunStatus.Running, (await Runs.GetRunAsync(runId, None))!.Status);
    }

    [Fact]
    public async Task Event_OfAnotherAssetOfItsStep_IsStoredAndReadUnderThatAsset_AndMovesOtherAssetsStatus()
    {
        var step = Step("silver/main", "p1");
        var other = new AssetKey("silver/side");
        await Events.AppendAsync(StepEvent(EventType.StepStarted, "r", step, 1) with { OtherAssets = [other] }, None);
        Assert.Equal(MaterializationState.Running, (await Events.GetPartitionStatusesAsync(other, None)).Single().State);

        var sideId = await Events.AppendAsync(StepEvent(EventType.Materialization, "r", step, 2) with { Asset = other }, None);
        await Events.AppendAsync(StepEvent(EventType.Materialization, "r", step, 2), None);

        var side = (await Events.GetPartitionStatusesAsync(other, None)).Single();
        Assert.Equal((MaterializationState.Materialized, (long?)sideId, "p1"), (side.State, side.LastMaterializationEventId, side.Partition!.Value));
        var read = Assert.Single(await Events.QueryAsync(new EventQuery { Asset = other, Types = [EventType.Materialization] }, None));
        Assert.Equal((other, step), (read.Asset, read.Step));
        Assert.Equal(new AssetKey("silver/main"), (await Events.QueryAsync(new EventQuery { Asset = new AssetKey("silver/main") }, None))[^1].Asset);

        await Events.AppendAsync(StepEvent(EventType.StepFailed, "r2", step, 3) with { OtherAssets = [other] }, None);
        var failed = (await Events.GetPartitionStatusesAsync(other, None)).Single();
        Assert.Equal((MaterializationState.Failed, "r2", (long?)sideId), (failed.State, failed.RunId, failed.LastMaterializationEventId));
    }

    [Fact]
    public async Task StrictRequeue_WhileCanceling_EndsTheRunAtTheStoresClock()
    {
        var runId = await CreateRunAsync((Step("t/a"), []));
        await Runs.StartRunAsync(runId, At(1), None);
        Assert.True(await Runs.TryStartStepAsync(runId, Step("t/a"), 1, At(2), None));
        Assert.True(await Runs.CancelRunAsync(runId, At(3), None));

        await Runs.RequeueStepAsync(runId, Step("t/a"), 2, None);

        Assert.Equal(Clock.GetUtcNow(), (await Runs.GetRunAsync(runId, None))!.EndedAt);
        Assert.Equal(Clock.GetUtcNow(), (await Runs.GetStepsAsync(runId, None)).Single().EndedAt);
    }
}
