using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;

namespace Lakehouse.Core.Tests.Instance;

/// <summary>Issue 11's dead processes and canceled steps, on every backend: leases, the sweep that ends a gone process's runs, a canceled step end.</summary>
public abstract partial class InstanceStoreContract
{
    [Fact]
    public async Task Leases_AreStoredRenewedAndReleased()
    {
        var lease = new ProcessLease("host:1:a", "host", 1, At(0), At(1));
        await Runs.RenewLeaseAsync(lease, None);
        await Runs.RenewLeaseAsync(lease with { HeartbeatAt = At(6) }, None);
        await Runs.RenewLeaseAsync(new ProcessLease("host:2:b", "host", 2, At(0), At(2)), None);

        Assert.Equal([lease with { HeartbeatAt = At(6) }, new ProcessLease("host:2:b", "host", 2, At(0), At(2))], await Runs.GetLeasesAsync(None));
        await Runs.ReleaseLeaseAsync("host:1:a", None);
        Assert.Equal(["host:2:b"], (await Runs.GetLeasesAsync(None)).Select(l => l.ProcessId));
    }

    [Fact]
    public async Task Sweep_EndsTheOpenRunsOfAGoneProcessFailed_WithTheReason_AndLeavesALiveOnesRuns()
    {
        // The gone process ran on another host and stopped beating; the live one is this test process.
        await Runs.RenewLeaseAsync(new ProcessLease("elsewhere:7:x", "elsewhere", 7, T0, Clock.GetUtcNow() - ProcessLeases.Expiry - TimeSpan.FromSeconds(1)), None);
        var gone = await CreateOwnedRunAsync("elsewhere:7:x");
        await using var live = new ProcessLeases(Runs, Clock);
        await live.AcquireAsync(None);
        var kept = await CreateOwnedRunAsync(live.Owner!);
        var unowned = await CreateRunAsync((Step("t/a"), []));
        await Runs.StartRunAsync(unowned, At(1), None);

        var ended = await new ProcessLeases(Runs, Clock).SweepAsync(None);

        Assert.Equal([gone], ended);
        var run = (await Runs.GetRunAsync(gone, None))!;
        Assert.Equal(RunStatus.Failed, run.Status);
        var steps = (await Runs.GetStepsAsync(gone, None)).ToDictionary(s => s.Key.ToString());
        // b ran and c waited in the gone process's queue: both failed with it; d never got that far.
        Assert.Equal((StepStatus.Succeeded, StepStatus.Failed, StepStatus.Failed, StepStatus.Skipped),
            (steps["t/a"].Status, steps["t/b"].Status, steps["t/c"].Status, steps["t/d"].Status));
        Assert.Equal(("the process running it stopped.", "the process running it stopped."), (steps["t/b"].Error, steps["t/c"].Error));
        var events = await Events.QueryAsync(new EventQuery { RunId = gone, Types = [EventType.StepFailed, EventType.RunFailed] }, None);
        Assert.Contains(events, e => e.Type == EventType.RunFailed && e.Message == "Run failed: the process running it stopped.");
        Assert.Contains(events, e => e.Type == EventType.StepFailed && e.Step == Step("t/b"));
        // The step no longer reads running, and the lease is gone with the process.
        Assert.Equal(MaterializationState.Failed, (await Events.GetPartitionStatusesAsync(new("t/b"), None)).Single().State);
        Assert.DoesNotContain(await Runs.GetLeasesAsync(None), l => l.ProcessId == "elsewhere:7:x");
        Assert.Equal(RunStatus.Running, (await Runs.GetRunAsync(kept, None))!.Status);
        Assert.Equal(RunStatus.Running, (await Runs.GetRunAsync(unowned, None))!.Status);
        Assert.Empty(await new ProcessLeases(Runs, Clock).SweepAsync(None));
    }

    [Fact]
    public async Task Sweep_EndsARunWhoseOwnerReleasedItsLease_AndOneOfAPidThatNoLongerRuns()
    {
        var released = await CreateOwnedRunAsync("gone-cleanly");
        // On this host a lease is checked by its pid: one that runs no process is gone at once, beating or not.
        var noSuchPid = new ProcessLease($"{Environment.MachineName}:999999:y", Environment.MachineName, 999_999, T0, Clock.GetUtcNow());
        await Runs.RenewLeaseAsync(noSuchPid, None);
        var killed = await CreateOwnedRunAsync(noSuchPid.ProcessId);

        var ended = await new ProcessLeases(Runs, Clock).SweepAsync(None);

        Assert.Equal(new[] { released, killed }.Order(), ended.Order());
        Assert.True(ProcessLeases.IsGone(noSuchPid, Clock.GetUtcNow()));
        Assert.False(ProcessLeases.IsGone(new ProcessLease("me", Environment.MachineName, Environment.ProcessId,
            System.Diagnostics.Process.GetCurrentProcess().StartTime.ToUniversalTime(), T0), Clock.GetUtcNow()));
    }

    [Fact]
    public async Task AbandonRun_OfACancelingRun_EndsItCanceled()
    {
        var runId = await CreateOwnedRunAsync("gone");
        Assert.True(await Runs.CancelRunAsync(runId, At(12), None));

        await new ProcessLeases(Runs, Clock).SweepAsync(None);

        Assert.Equal(RunStatus.Canceled, (await Runs.GetRunAsync(runId, None))!.Status);
        Assert.Equal(StepStatus.Canceled, (await StatusesAsync(runId))[Step("t/b")]);
    }

    [Fact]
    public async Task CompleteStep_Canceled_EndsTheStepCanceled_AndThePartitionKeepsItsLastMaterialization()
    {
        var first = await CreateRunAsync((Step("t/a", "p1"), []));
        await Runs.StartRunAsync(first, At(1), None);
        Assert.True(await Runs.TryStartStepAsync(first, Step("t/a", "p1"), 1, At(2), None));
        await Events.AppendAsync(new EventRecord(EventType.Materialization, first, At(3)) { Step = Step("t/a", "p1") }, None);
        await Runs.CompleteStepAsync(first, Step("t/a", "p1"), StepOutcome.Success, At(3), None);
        var second = await CreateRunAsync((Step("t/a", "p1"), []));
        await Runs.StartRunAsync(second, At(4), None);
        Assert.True(await Runs.TryStartStepAsync(second, Step("t/a", "p1"), 1, At(5), None));
        await Events.AppendAsync(new EventRecord(EventType.StepStarted, second, At(5)) { Step = Step("t/a", "p1") }, None);
        Assert.True(await Runs.CancelRunAsync(second, At(6), None));

        var transaction = Instance.BeginTransaction();
        transaction.CompleteStep(second, Step("t/a", "p1"), 1, StepOutcome.Cancellation("Canceled: the run was asked to stop."), At(7),
            new EventRecord(EventType.StepCanceled, second, At(7)) { Step = Step("t/a", "p1"), Message = "Canceled: the run was asked to stop." });
        var commit = await transaction.CommitAsync(None);

        Assert.Equal(RunStatus.Canceled, commit.RunsEnded[second]);
        var step = Assert.Single(await Runs.GetStepsAsync(second, None));
        Assert.Equal((StepStatus.Canceled, "Canceled: the run was asked to stop."), (step.Status, step.Error));
        var status = Assert.Single(await Events.GetPartitionStatusesAsync(new("t/a"), None));
        Assert.Equal((MaterializationState.Canceled, second, (DateTimeOffset?)At(3)), (status.State, status.RunId, status.LastMaterializedAt));
    }

    /// <summary>A running diamond owned by <paramref name="owner"/>: a succeeded, b running, c queued, d pending.</summary>
    private async Task<string> CreateOwnedRunAsync(string owner)
    {
        var runId = $"run-{Guid.NewGuid():N}";
        await Runs.CreateRunAsync(new RunRecord(runId, RunStatus.Queued, "t/*", T0) { Owner = owner },
            Diamond().Select(p => new StepRecord(runId, p.Step, StepStatus.Pending, p.DependsOn)).ToList(), None);
        await Runs.StartRunAsync(runId, At(1), None);
        await RunStepAsync(runId, Step("t/a"));
        Assert.True(await Runs.TryStartStepAsync(runId, Step("t/b"), 1, At(11), None));
        await Events.AppendAsync(new EventRecord(EventType.StepStarted, runId, At(11)) { Step = Step("t/b") }, None);
        Assert.Equal(owner, (await Runs.GetRunAsync(runId, None))!.Owner);
        return runId;
    }
}
