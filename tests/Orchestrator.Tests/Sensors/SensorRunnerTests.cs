using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Sensors;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Tests.Support;
using Serilog;
using TestSupport;
using TmLakehouse.Orchestrator.Hosting;

namespace Orchestrator.Tests.Sensors;

/// <summary>
/// The sensor framework on each instance backend: run keys launch once (one lookup per tick, repeats recorded as skips),
/// ticks and the cursor are stored, old ticks are pruned, and a request that fails to launch holds the cursor so the next
/// tick asks for it again instead of dropping it.
/// </summary>
public abstract class SensorRunnerTests : IDisposable
{
    private const string Name = "toy_sensor";
    private readonly TempHome _home = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 6, 2, 8, 0, 0, TimeSpan.Zero));
    private readonly ToyAssets _toy = new();

    /// <summary>What the toy sensor returns next: keys (each a run of toy/raw for partition a), a cursor, and a key whose preparation throws.</summary>
    private (string[] Keys, string? Cursor, string? Broken) _next = ([], null, null);

    protected string Home => _home.Path;

    public void Dispose() => _home.Dispose();

    protected abstract Task<Lakehouse.Core.Config.LakehouseOptions> OptionsAsync();

    /// <summary>One instance per test: every runtime a test opens (two "processes") shares it.</summary>
    private Lakehouse.Core.Config.LakehouseOptions? _options;

    private async Task<LakehouseRuntime> OpenAsync(SensorDefinition? given = null, RuntimeRole? role = null)
    {
        var sensor = given ?? new SensorDefinition(Name, TimeSpan.FromSeconds(30), (context, _) => Task.FromResult(new SensorResult
        {
            Cursor = _next.Cursor,
            RunRequests = _next.Keys.Select(k => new SensorRunRequest(k, new RunRequest("toy/raw") { Partitions = ["a"] })
            {
                Prepare = k == _next.Broken ? (_, _) => throw new IOException($"export for {k} is unreadable") : null,
            }).ToList(),
        }));
        // Client only: the test checks what a tick launches and stores, not the steps (no worker takes them).
        return await LakehouseRuntime.OpenAsync(_options ??= await OptionsAsync(), _toy.Definitions(), role ?? RuntimeRole.ClientOnly, new LoggerConfiguration().CreateLogger(),
            _clock, CancellationToken.None, sensors: [sensor]);
    }

    private static async Task<SensorTick> TickAsync(LakehouseRuntime runtime)
    {
        var evaluation = await runtime.Sensors.EvaluateAsync(runtime.Sensors.Catalog.All.Single(), dryRun: false, CancellationToken.None);
        return evaluation.Tick ?? throw new Xunit.Sdk.XunitException($"no tick: {evaluation.NotEvaluated}");
    }

    [Fact]
    public async Task RunKeys_LaunchOnce_RepeatsAreRecordedSkips_AndTicksAndCursorAreStored()
    {
        await using var runtime = await OpenAsync();
        _next = (["file-1", "file-2"], "2", null);

        var first = await TickAsync(runtime);

        Assert.Equal(SensorTickStatus.Launched, first.Status);
        Assert.Equal(2, first.RunIds.Count);
        foreach (var runId in first.RunIds)
        {
            var run = (await runtime.Instance.Runs.GetRunAsync(runId, CancellationToken.None))!;
            Assert.Equal(Name, run.Tags["sensor"]);
            Assert.Equal("toy/raw", run.Selection);
        }
        var keyOf = first.RunIds.ToDictionary(id => id, id => runtime.Instance.Runs.GetRunAsync(id, CancellationToken.None).Result!.Tags["run_key"]);
        Assert.Equal(["file-1", "file-2"], keyOf.Values.Order(StringComparer.Ordinal));

        _clock.Advance(TimeSpan.FromMinutes(1));
        _next = (["file-1", "file-2", "file-3", "file-3"], "3", null);
        var second = await TickAsync(runtime);

        Assert.Equal(SensorTickStatus.Launched, second.Status);
        var third = Assert.Single(second.RunIds);
        Assert.Equal("file-3", (await runtime.Instance.Runs.GetRunAsync(third, CancellationToken.None))!.Tags["run_key"]);
        Assert.Equal(3, second.Skips.Count);
        Assert.Equal(3, second.Skipped);
        Assert.Contains(second.Skips, s => s == $"file-1: already requested (run {keyOf.Single(k => k.Value == "file-1").Key})");
        Assert.Contains("file-3: requested twice in this tick", second.Skips);
        Assert.Equal("3", await runtime.Instance.Scheduling.GetCursorAsync(Name, CancellationToken.None));

        _clock.Advance(TimeSpan.FromMinutes(1));
        var idle = await TickAsync(runtime);
        Assert.Equal(SensorTickStatus.Skipped, idle.Status);
        Assert.Equal("4 run key(s) already requested", idle.Reason);

        var ticks = await runtime.Instance.Sensors.GetTicksAsync(Name, 10, CancellationToken.None);
        Assert.Equal([SensorTickStatus.Skipped, SensorTickStatus.Launched, SensorTickStatus.Launched], ticks.Select(t => t.Status));
        Assert.Equal(second.RunIds, ticks[1].RunIds);
        Assert.Equal(3, (await runtime.Instance.Runs.ListRunsAsync(new RunQuery { Limit = 100 }, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task ATickOfManyKeysSeenBefore_StoresTheirCount_AndOnlyASampleOfTheirTexts()
    {
        await using var runtime = await OpenAsync();
        var keys = Enumerable.Range(0, 100).Select(i => $"file-{i:000}").ToArray();
        _next = (keys, "1", null);
        var first = await TickAsync(runtime);
        Assert.Equal(100, first.RunIds.Count);

        _clock.Advance(TimeSpan.FromMinutes(1));
        _next = ([.. keys, "file-new"], "2", null);
        var second = await TickAsync(runtime);

        Assert.Single(second.RunIds);
        var stored = (await runtime.Instance.Sensors.GetTicksAsync(Name, 1, CancellationToken.None)).Single();
        Assert.Equal(second.Id, stored.Id);
        Assert.Equal(100, stored.Skipped);
        Assert.Equal(SensorTick.SkipSampleSize, stored.Skips.Count);
        Assert.Equal(keys.Take(SensorTick.SkipSampleSize), stored.Skips.Select(s => s[..s.IndexOf(':', StringComparison.Ordinal)]));
        // Each text names the run the key launched (the first tick launched them in order).
        Assert.Equal(keys.Zip(first.RunIds).Take(SensorTick.SkipSampleSize).Select(k => $"{k.First}: already requested (run {k.Second})"), stored.Skips);
    }

    [Fact]
    public async Task AKeyAnotherProcessClaimedFirst_KeepsThatProcesssRunId_AndIsNotClaimedAgain()
    {
        // As when this process's heartbeat stalled past the lease and another took the sensor over between its lookup and its claim.
        await using var runtime = await OpenAsync();
        var store = runtime.Instance.Sensors;
        var now = _clock.GetUtcNow();

        Assert.Equal(["file-1"], await store.ClaimRunKeysAsync(Name, [("file-1", "run-of-the-other-process")], now, CancellationToken.None));
        var ours = await store.ClaimRunKeysAsync(Name, [("file-1", "run-of-this-process"), ("file-2", "run-2")], now, CancellationToken.None);

        Assert.Equal(["file-2"], ours);
        var keys = await store.LookUpRunKeysAsync(Name, ["file-1", "file-2", "file-3"], SensorTick.SkipSampleSize, CancellationToken.None);
        Assert.Equal([("file-1", "run-of-the-other-process"), ("file-2", "run-2")], keys.Claimed.Select(k => (k.RunKey, k.RunId)).Order());
        Assert.Equal(["file-3"], keys.New);
        Assert.Empty(keys.LaunchedSample);
    }

    [Fact]
    public async Task ARequestThatFailsToLaunch_FailsTheTick_HoldsTheCursor_AndIsLaunchedByTheNextTick()
    {
        await using var runtime = await OpenAsync();
        _next = (["good", "broken"], "after-both", "broken");

        var failed = await TickAsync(runtime);

        Assert.Equal(SensorTickStatus.Failed, failed.Status);
        Assert.Equal("broken: export for broken is unreadable", failed.Reason);
        Assert.Single(failed.RunIds);
        Assert.Null(await runtime.Instance.Scheduling.GetCursorAsync(Name, CancellationToken.None));

        _clock.Advance(TimeSpan.FromMinutes(1));
        _next = (["good", "broken"], "after-both", null);
        var retried = await TickAsync(runtime);

        Assert.Equal(SensorTickStatus.Launched, retried.Status);
        var run = await runtime.Instance.Runs.GetRunAsync(Assert.Single(retried.RunIds), CancellationToken.None);
        Assert.Equal("broken", run!.Tags["run_key"]);
        Assert.Equal(["good: already requested (run " + failed.RunIds[0] + ")"], retried.Skips);
        Assert.Equal("after-both", await runtime.Instance.Scheduling.GetCursorAsync(Name, CancellationToken.None));
    }

    [Fact]
    public async Task ALongEvaluation_RenewsItsLease_SoAnotherProcessRecordsASkippedTickInsteadOfEvaluatingAtTheSameTime()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var evaluations = 0;
        var slow = new SensorDefinition("slow_sensor", TimeSpan.FromSeconds(10), async (_, ct) =>
        {
            Interlocked.Increment(ref evaluations);
            entered.TrySetResult();
            // Bounded: a second evaluation let through by mistake fails the test instead of hanging it.
            await gate.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);
            return SensorResult.Skip("done");
        }) { Lease = TimeSpan.FromMinutes(2) };
        // Two processes' runtimes over one instance.
        await using var first = await OpenAsync(slow);
        await using var second = await OpenAsync(slow);
        var renewals = new SemaphoreSlim(0);
        first.Sensors.LeaseRenewed = () => renewals.Release();

        var holding = Task.Run(() => first.Sensors.EvaluateAsync(slow, dryRun: false, CancellationToken.None));
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // Twice the lease's length passes while the first evaluation runs; every third of it the lease is renewed.
        for (var i = 0; i < 6; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(40));
            Assert.True(await renewals.WaitAsync(TimeSpan.FromSeconds(30)), $"renewal {i + 1} did not happen");
        }
        var refused = await second.Sensors.EvaluateAsync(slow, dryRun: false, CancellationToken.None);

        Assert.Equal(SensorTickStatus.Skipped, refused.Tick!.Status);
        Assert.StartsWith(TmLakehouse.Orchestrator.Sensors.SensorRunner.LeaseHeldReason, refused.Tick.Reason);
        Assert.Equal(1, evaluations);
        gate.SetResult();
        Assert.Equal("done", (await holding).Tick!.Reason);

        var after = await second.Sensors.EvaluateAsync(slow, dryRun: false, CancellationToken.None);
        Assert.Equal("done", after.Tick!.Reason);
        Assert.Equal(2, evaluations);
        var ticks = await second.Instance.Sensors.GetTicksAsync("slow_sensor", 10, CancellationToken.None);
        // Newest first by start: the second evaluation, the refusal, then the long evaluation that began before it.
        Assert.Equal(["done", refused.Tick.Reason, "done"], ticks.Select(t => t.Reason));
    }

    [Fact]
    public async Task ASubMinuteInterval_FiresASixFieldCron_AndTheJobHonoursTheIntervalBetweenTicks()
    {
        var quick = new SensorDefinition("quick_sensor", TimeSpan.FromSeconds(10), (_, _) => Task.FromResult(SensorResult.Skip("looked")));
        await using var runtime = await OpenAsync(quick);
        TmLakehouse.Orchestrator.Sensors.SensorRunner.RegisterRecurringJobs(runtime.JobStorage, runtime.Sensors.Catalog);
        using (var connection = runtime.JobStorage.GetConnection())
        {
            var job = Assert.Single(Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection), j => j.Id == "sensor:quick_sensor");
            Assert.Equal("*/10 * * * * *", job.Cron);
            Assert.Equal(RuntimeRole.TicksQueue, job.Job.Queue);
        }
        Assert.Equal("*/15 * * * * *", TmLakehouse.Orchestrator.Sensors.SensorRunner.CronOf(TimeSpan.FromSeconds(15)));
        Assert.Equal("* * * * *", TmLakehouse.Orchestrator.Sensors.SensorRunner.CronOf(TimeSpan.FromSeconds(45)));

        await runtime.Sensors.TickFromJobAsync("quick_sensor", CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(5));
        await runtime.Sensors.TickFromJobAsync("quick_sensor", CancellationToken.None);
        Assert.Single(await runtime.Instance.Sensors.GetTicksAsync("quick_sensor", 10, CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(5));
        await runtime.Sensors.TickFromJobAsync("quick_sensor", CancellationToken.None);
        Assert.Equal(2, (await runtime.Instance.Sensors.GetTicksAsync("quick_sensor", 10, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task ATickJob_RunsOnItsOwnWorker_WhileEveryStepWorkerIsBusy()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _toy.RawGate = gate;
        await using var runtime = await OpenAsync(role: RuntimeRole.Workers(1) with { RunsTicks = true });
        try
        {
            // The one step worker holds a step that waits on the gate.
            var busy = await runtime.Coordinator.LaunchAsync(new RunRequest("toy/raw") { Partitions = ["a"] }, CancellationToken.None);
            await WaitForAsync(() => Task.FromResult(_toy.CallsOf(busy, "toy/raw[a]") == 1), "the step to start");
            TmLakehouse.Orchestrator.Sensors.SensorRunner.RegisterRecurringJobs(runtime.JobStorage, runtime.Sensors.Catalog);
            new Hangfire.RecurringJobManager(runtime.JobStorage).Trigger("sensor:" + Name);

            await WaitForAsync(async () => (await runtime.Instance.Sensors.GetTicksAsync(Name, 1, CancellationToken.None)).Count == 1, "a tick while the step runs");
            Assert.Equal(RunStatus.Running, (await runtime.Instance.Runs.GetRunAsync(busy, CancellationToken.None))!.Status);
        }
        finally
        {
            gate.TrySetResult();
        }
    }

    /// <summary>Polls until <paramref name="done"/>; fails naming <paramref name="what"/> after a bound far above any wait (not a timing assert).</summary>
    private static async Task WaitForAsync(Func<Task<bool>> done, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (!await done())
        {
            if (DateTime.UtcNow > until) throw new Xunit.Sdk.XunitException($"Waited 60 s for {what}.");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task TicksOlderThanTheRetention_ArePrunedWhenANewTickIsStored()
    {
        await using var runtime = await OpenAsync();
        await TickAsync(runtime);
        _clock.Advance(TimeSpan.FromDays(6));
        await TickAsync(runtime);
        Assert.Equal(2, (await runtime.Instance.Sensors.GetTicksAsync(Name, 10, CancellationToken.None)).Count);

        _clock.Advance(TimeSpan.FromDays(2));
        var latest = await TickAsync(runtime);

        var kept = await runtime.Instance.Sensors.GetTicksAsync(Name, 10, CancellationToken.None);
        Assert.Equal(2, kept.Count);
        Assert.Equal(latest.Id, kept[0].Id);
        Assert.Equal("nothing to request", kept[0].Reason);
    }
}

public sealed class EmbeddedSensorRunnerTests : SensorRunnerTests
{
    protected override Task<Lakehouse.Core.Config.LakehouseOptions> OptionsAsync() =>
        Task.FromResult(new Lakehouse.Core.Config.LakehouseOptions { Home = Home, Workers = 1 });
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresSensorRunnerTests(PostgresServerFixture postgres) : SensorRunnerTests
{
    protected override async Task<Lakehouse.Core.Config.LakehouseOptions> OptionsAsync() =>
        Runtimes.Postgres(Home, await postgres.CreateDatabaseAsync(), workers: 1);
}
