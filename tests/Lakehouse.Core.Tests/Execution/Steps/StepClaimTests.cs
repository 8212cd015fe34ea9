using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Execution.Steps;
using Lakehouse.Core.Instance;
using static Lakehouse.Core.Tests.Execution.Steps.StepSome;

namespace Lakehouse.Core.Tests.Execution.Steps;

public sealed class StepClaimTests : IAsyncLifetime
{
    private static readonly StepKey A = Step("t/a");
    private static readonly StepKey B = Step("t/b");
    private StepLake _lake = null!;
    private readonly RecordingQueue _queue = new();

    public async Task InitializeAsync() => _lake = await StepLake.OpenAsync();
    public async Task DisposeAsync() => await _lake.DisposeAsync();

    private StepClaim Claim(IStepRunner next, params AssetDefinition[] definitions) =>
        new(AssetGraph.Build(definitions.Length > 0 ? definitions : [Definition("t/a"), Definition("t/b")]), _lake.Instance, next, _queue, _lake.Clock, Serilog.Core.Logger.None);

    private StepClaim InlineClaim(IStepRunner next, params AssetDefinition[] definitions) =>
        new(AssetGraph.Build(definitions), _lake.Instance, next, _queue, _lake.Clock, Serilog.Core.Logger.None, successorsInline: true);

    private static FakeRunner Succeeding(string line) => new((step, _) =>
    {
        step.Events.Add(new EventRecord(EventType.Log, step.RunId, DateTimeOffset.UnixEpoch) { Step = step.Step, Message = line });
        return Task.FromResult(StepResult.Succeeded(new Dictionary<string, MetadataValue>()));
    });

    [Fact]
    public async Task Execute_ClaimsRunsAndEndsTheStepInOneCommit_ThenEnqueuesWhatBecameReady()
    {
        var runId = await _lake.StartRunAsync((A, []), (B, [A]));
        var next = Succeeding("working");

        await Claim(next).ExecuteAsync(runId, A, 1, null, CancellationToken.None);

        var context = Assert.Single(next.Calls);
        Assert.Equal((runId, A, 1), (context.RunId, context.Step, context.Attempt));
        Assert.Equal(StepStatus.Succeeded, (await _lake.StepAsync(runId, A)).Status);
        Assert.Equal([new QueuedStep(runId, B, 1, TimeSpan.Zero)], _queue.Queued);
        var events = await _lake.EventsAsync(runId);
        Assert.Equal([EventType.StepStarted, EventType.Log, EventType.StepSucceeded], events.Select(e => e.Type));
        Assert.Equal(["Step started.", "working"], events.Take(2).Select(e => e.Message));
    }

    [Fact]
    public async Task Execute_WithSuccessorsInline_RunsTheFirstReadyStepOnThisWorker_AndQueuesTheOthers()
    {
        var c = Step("t/c");
        var d = Step("t/d");
        var runId = await _lake.StartRunAsync((A, []), (B, [A]), (c, [A]), (d, [B]));
        var next = Succeeding("working");

        await InlineClaim(next, Definition("t/a"), Definition("t/b"), Definition("t/c"), Definition("t/d")).ExecuteAsync(runId, A, 1, null, CancellationToken.None);

        // A made B and C ready: B ran here, then D (ready after B); C went to the queue and is still Queued.
        Assert.Equal([A, B, d], next.Calls.Select(s => s.Step));
        Assert.Equal([new QueuedStep(runId, c, 1, TimeSpan.Zero)], _queue.Queued);
        Assert.Equal((StepStatus.Succeeded, StepStatus.Succeeded, StepStatus.Queued),
            ((await _lake.StepAsync(runId, B)).Status, (await _lake.StepAsync(runId, d)).Status, (await _lake.StepAsync(runId, c)).Status));
        Assert.Equal(3, (await _lake.EventsAsync(runId)).Count(e => e.Type == EventType.StepStarted));
    }

    [Fact]
    public async Task Execute_WithSuccessorsInline_QueuesTheReadyStep_WhenTheWorkerIsStopping()
    {
        var runId = await _lake.StartRunAsync((A, []), (B, [A]));
        using var stopping = new CancellationTokenSource();
        var next = new FakeRunner((_, _) =>
        {
            stopping.Cancel();
            return Task.FromResult(StepResult.Succeeded(new Dictionary<string, MetadataValue>()));
        });

        await InlineClaim(next, Definition("t/a"), Definition("t/b")).ExecuteAsync(runId, A, 1, null, stopping.Token);

        Assert.Equal([A], next.Calls.Select(s => s.Step));
        Assert.Equal([new QueuedStep(runId, B, 1, TimeSpan.Zero)], _queue.Queued);
        Assert.Equal(StepStatus.Queued, (await _lake.StepAsync(runId, B)).Status);
    }

    private StepClaim ClaimingInEnd(IStepRunner next, IStepQueue queue, params AssetDefinition[] definitions) =>
        new(AssetGraph.Build(definitions), _lake.Instance, next, queue, _lake.Clock, Serilog.Core.Logger.None, successorsInline: true, claimSuccessorInEnd: true);

    [Fact]
    public async Task Execute_WithTheSuccessorClaimedInTheEnd_StartsTheNextStepInTheCommitThatEndsThePreviousOne()
    {
        var c = Step("t/c");
        var runId = await _lake.StartRunAsync((A, []), (B, [A]), (c, [B]));
        var next = Succeeding("working");
        var delivery = new FakeDelivery(null);

        await ClaimingInEnd(next, _queue, Definition("t/a"), Definition("t/b"), Definition("t/c")).ExecuteAsync(runId, A, 1, delivery, CancellationToken.None);

        Assert.Equal([A, B, c], next.Calls.Select(s => s.Step));
        Assert.Empty(_queue.Queued);
        Assert.Equal((A, 1), delivery.Marked); // only the job's own step is claimed on its own
        var (a, b) = (await _lake.StepAsync(runId, A), await _lake.StepAsync(runId, B));
        Assert.Equal(a.EndedAt, b.StartedAt);
        var last = await _lake.StepAsync(runId, c);
        Assert.Equal((1, 1, 1), (a.Attempt, b.Attempt, last.Attempt));
        var events = (await _lake.EventsAsync(runId)).Where(e => e.Type is EventType.StepStarted or EventType.StepSucceeded).Select(e => $"{e.Type} {e.Step}");
        Assert.Equal(["StepStarted t/a", "StepSucceeded t/a", "StepStarted t/b", "StepSucceeded t/b", "StepStarted t/c", "StepSucceeded t/c"], events);
    }

    [Fact]
    public async Task Execute_WithTheSuccessorClaimedInTheEnd_QueuesThatStepAgainAsItsNextAttempt_WhenTheWorkerStopsBeforeBeginningIt()
    {
        var c = Step("t/c");
        var runId = await _lake.StartRunAsync((A, []), (B, [A]), (c, [A]));
        using var stopping = new CancellationTokenSource();
        // The worker is told to stop just after A's end commit claimed B (while C, also ready, is handed to the queue).
        var queue = new StoppingQueue(stopping);
        var next = Succeeding("working");

        await ClaimingInEnd(next, queue, Definition("t/a"), Definition("t/b"), Definition("t/c")).ExecuteAsync(runId, A, 1, null, stopping.Token);

        Assert.Equal([A], next.Calls.Select(s => s.Step));
        Assert.Equal([new QueuedStep(runId, c, 1, TimeSpan.Zero), new QueuedStep(runId, B, 2, TimeSpan.Zero)], queue.Queued);
        var b = await _lake.StepAsync(runId, B);
        Assert.Equal((StepStatus.Queued, 2), (b.Status, b.Attempt));
        Assert.Contains(await _lake.EventsAsync(runId), e => e.Type == EventType.StepRetry && e.Step == B &&
                                                             e.Message == "The worker stopped before it began attempt 1. Running it again as attempt 2.");
    }

    private sealed class StoppingQueue(CancellationTokenSource stopping) : IStepQueue
    {
        public List<QueuedStep> Queued { get; } = [];

        public void Enqueue(QueuedStep step)
        {
            Queued.Add(step);
            stopping.Cancel();
        }
    }

    [Fact]
    public async Task Execute_OfADuplicateDelivery_ClaimsNothing_AndRunsNothing()
    {
        var runId = await _lake.StartRunAsync((A, []));
        await Claim(Succeeding("first")).ExecuteAsync(runId, A, 1, null, CancellationToken.None);
        var duplicate = Succeeding("second");

        await Claim(duplicate).ExecuteAsync(runId, A, 1, null, CancellationToken.None);

        Assert.Empty(duplicate.Calls);
        Assert.DoesNotContain(await _lake.EventsAsync(runId), e => e.Message == "second");
        Assert.Single(await _lake.EventsAsync(runId), e => e.Type == EventType.StepStarted);
    }

    [Fact]
    public async Task Execute_OfARetry_QueuesTheNextAttemptAfterItsDelay_InTheSameCommitAsItsEvents()
    {
        var runId = await _lake.StartRunAsync((A, []));

        await Claim(FakeRunner.Returning(StepResult.Retry("Attempt 1 failed (IOException: x); retry 1 of 2 in 4 s.", TimeSpan.FromSeconds(4))))
            .ExecuteAsync(runId, A, 1, null, CancellationToken.None);

        var step = await _lake.StepAsync(runId, A);
        Assert.Equal((StepStatus.Queued, 2), (step.Status, step.Attempt));
        Assert.Equal([new QueuedStep(runId, A, 2, TimeSpan.FromSeconds(4))], _queue.Queued);
        Assert.Contains(await _lake.EventsAsync(runId), e => e.Type == EventType.StepRetry && e.Message.Contains("retry 1 of 2"));
    }

    [Fact]
    public async Task Execute_OfAFailure_EndsTheStepFailed_SkipsItsDependents_AndEndsTheRun()
    {
        var runId = await _lake.StartRunAsync((A, []), (B, [A]));

        await Claim(FakeRunner.Returning(StepResult.Failed("a.csv line 2: bad"))).ExecuteAsync(runId, A, 1, null, CancellationToken.None);

        Assert.Equal(("a.csv line 2: bad", StepStatus.Skipped), ((await _lake.StepAsync(runId, A)).Error, (await _lake.StepAsync(runId, B)).Status));
        Assert.Empty(_queue.Queued);
        Assert.Equal([EventType.StepStarted, EventType.StepFailed, EventType.StepSkipped, EventType.RunFailed], (await _lake.EventsAsync(runId)).Select(e => e.Type));
        Assert.Equal(RunStatus.Failed, (await _lake.Instance.Runs.GetRunAsync(runId, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task Execute_WhenTheMachineryFailsAroundTheAsset_EndsTheStepFailed_KeepingWhatWasCollected()
    {
        var runId = await _lake.StartRunAsync((A, []));
        var next = new FakeRunner((step, _) =>
        {
            step.Events.Add(new EventRecord(EventType.Log, step.RunId, DateTimeOffset.UnixEpoch) { Step = step.Step, Message = "collected" });
            throw new UnauthorizedAccessException("summary bucket is read-only");
        });

        await Claim(next).ExecuteAsync(runId, A, 1, null, CancellationToken.None);

        var step = await _lake.StepAsync(runId, A);
        Assert.Equal(StepStatus.Failed, step.Status);
        Assert.Equal("The worker failed around the step: Permission denied: summary bucket is read-only. Give this user access to it, then run again.", step.Error);
        Assert.Contains(await _lake.EventsAsync(runId), e => e.Message == "collected");
    }

    [Fact]
    public async Task Execute_WhenTheWorkerStops_LeavesTheStepRunning_AndARedeliveryRunsItAgainAsTheNextAttempt()
    {
        var runId = await _lake.StartRunAsync((A, []));
        using var shutdown = new CancellationTokenSource();
        var stopping = new FakeRunner(async (step, ct) =>
        {
            step.Events.Add(new EventRecord(EventType.Log, step.RunId, DateTimeOffset.UnixEpoch) { Step = step.Step, Message = "half done" });
            await shutdown.CancelAsync();
            ct.ThrowIfCancellationRequested();
            return StepResult.Succeeded(new Dictionary<string, MetadataValue>());
        });
        var delivery = new FakeDelivery(claimedBefore: null);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Claim(stopping).ExecuteAsync(runId, A, 1, delivery, shutdown.Token));

        Assert.Equal((A, 1), delivery.Marked);
        Assert.Equal(StepStatus.Running, (await _lake.StepAsync(runId, A)).Status);
        Assert.Contains(await _lake.EventsAsync(runId), e => e.Message == "half done");

        var again = Succeeding("never");
        await Claim(again).ExecuteAsync(runId, A, 1, new FakeDelivery(claimedBefore: (A, 1)), CancellationToken.None);

        Assert.Empty(again.Calls);
        var step = await _lake.StepAsync(runId, A);
        Assert.Equal((StepStatus.Queued, 2), (step.Status, step.Attempt));
        Assert.Equal([new QueuedStep(runId, A, 2, TimeSpan.Zero)], _queue.Queued);
        Assert.Contains(await _lake.EventsAsync(runId), e => e.Type == EventType.StepRetry && e.Message.StartsWith("Attempt 1 was lost"));
    }

    [Fact]
    public async Task Execute_WithSuccessorsInline_MarksEachStepItClaims_AndARedeliveryRecoversTheStepItsWorkerStoppedIn()
    {
        var runId = await _lake.StartRunAsync((A, []), (B, [A]));
        using var shutdown = new CancellationTokenSource();
        var stopsInB = new FakeRunner(async (step, ct) =>
        {
            if (step.Step == B)
            {
                await shutdown.CancelAsync();
                ct.ThrowIfCancellationRequested();
            }
            return StepResult.Succeeded(new Dictionary<string, MetadataValue>());
        });
        var delivery = new FakeDelivery(claimedBefore: null);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            InlineClaim(stopsInB, Definition("t/a"), Definition("t/b")).ExecuteAsync(runId, A, 1, delivery, shutdown.Token));

        Assert.Equal((B, 1), delivery.Marked);
        Assert.Equal(StepStatus.Running, (await _lake.StepAsync(runId, B)).Status);

        // The queue hands job A out again: A stays done, and B, lost with the worker, is queued as its next attempt.
        var again = Succeeding("never");
        await InlineClaim(again, Definition("t/a"), Definition("t/b")).ExecuteAsync(runId, A, 1, new FakeDelivery(claimedBefore: (B, 1)), CancellationToken.None);

        Assert.Empty(again.Calls);
        Assert.Equal(StepStatus.Succeeded, (await _lake.StepAsync(runId, A)).Status);
        var b = await _lake.StepAsync(runId, B);
        Assert.Equal((StepStatus.Queued, 2), (b.Status, b.Attempt));
        Assert.Equal([new QueuedStep(runId, B, 2, TimeSpan.Zero)], _queue.Queued);
    }

    [Fact]
    public async Task Execute_OfAMultiAssetStep_StartsAndFailsTheStatusOfEveryAssetItMaterializes()
    {
        var multi = Definition("t/a", null, "t/side");
        var runId = await _lake.StartRunAsync((A, []));
        var running = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var next = new FakeRunner(async (_, _) =>
        {
            running.SetResult();
            await release.Task;
            return StepResult.Failed("gate failed");
        });

        var execution = Claim(next, multi).ExecuteAsync(runId, A, 1, null, CancellationToken.None);
        await running.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(MaterializationState.Running, (await _lake.Instance.Events.GetPartitionStatusesAsync(new AssetKey("t/side"), CancellationToken.None)).Single().State);
        release.SetResult();
        await execution;

        foreach (var asset in new[] { new AssetKey("t/a"), new AssetKey("t/side") })
            Assert.Equal(MaterializationState.Failed, (await _lake.Instance.Events.GetPartitionStatusesAsync(asset, CancellationToken.None)).Single().State);
        Assert.Single(await _lake.EventsAsync(runId), e => e.Type == EventType.StepFailed);
    }
}
