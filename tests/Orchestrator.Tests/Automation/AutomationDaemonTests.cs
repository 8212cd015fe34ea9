using Lakehouse.Core.Assets;
using Lakehouse.Core.Config;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Partitions;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Tests.Support;
using Serilog;
using TestSupport;
using TmLakehouse.Orchestrator.Automation;
using TmLakehouse.Orchestrator.Hosting;

namespace Orchestrator.Tests.Automation;

/// <summary>
/// The automation daemon on each instance backend, with a fake clock and materializations written as events: what each condition
/// requests and why, one run per group per tick, nothing asked twice while a run is open, failures not retried in a loop, cron
/// ticks, switching off, decisions stored only when they change, and one evaluation at a time.
/// </summary>
public abstract class AutomationDaemonTests : IDisposable
{
    private static readonly StaticPartitionsDefinition Courses = new("course", ["a", "b"]);
    private static readonly AssetKey Raw = new("toy/raw"), Clean = new("toy/clean"), Summary = new("toy/summary"), Report = new("report/by_course"),
        Daily = new("daily/clean_digest"), Missing = new("backfill/first_copy");

    private readonly TempHome _home = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 6, 2, 5, 0, 0, TimeSpan.Zero));
    private long _runs;

    protected string Home => _home.Path;

    public void Dispose() => _home.Dispose();

    protected abstract Task<LakehouseOptions> OptionsAsync();

    private static IReadOnlyList<AssetDefinition> Definitions() =>
    [
        Define(Raw, null),
        Define(Clean, AutomationCondition.Eager, Raw),
        Define(Summary, AutomationCondition.Eager, Clean),
        Define(Report, AutomationCondition.Eager, Clean),
        Define(Daily, AutomationCondition.OnCron("0 6 * * *"), Clean),
        Define(Missing, AutomationCondition.Missing, Raw),
    ];

    private static AssetDefinition Define(AssetKey key, AutomationCondition? condition, params AssetKey[] deps) =>
        AssetDefinition.Create(new AssetSpec(key) { Partitions = Courses, Automation = condition, Deps = deps.Select(d => new AssetDependency(d)).ToList() },
            (_, _) => Task.FromResult(new MaterializeResult()));

    /// <summary>One instance per test: every runtime a test opens (two "processes") shares it.</summary>
    private LakehouseOptions? _options;

    private async Task<LakehouseRuntime> OpenAsync() =>
        // Client only: the tests check what a tick requests and launches; materializations are written as events.
        await LakehouseRuntime.OpenAsync(_options ??= await OptionsAsync(), Definitions(), RuntimeRole.ClientOnly, new LoggerConfiguration().CreateLogger(), _clock);

    private async Task WriteAsync(LakehouseRuntime runtime, EventType type, AssetKey asset, string partition) =>
        await runtime.Instance.Events.AppendAsync(new EventRecord(type, $"outside-{Interlocked.Increment(ref _runs)}", _clock.GetUtcNow())
        {
            Step = new StepKey(asset, new PartitionKey(partition)),
        }, CancellationToken.None);

    private static async Task<AutomationTick> TickAsync(LakehouseRuntime runtime) =>
        await runtime.Automation.TickAsync(CancellationToken.None) ?? throw new Xunit.Sdk.XunitException("another process held the evaluation");

    private static async Task<Dictionary<string, AutomationDecision>> DecisionsAsync(LakehouseRuntime runtime) =>
        (await runtime.Instance.Automation.GetDecisionsAsync(null, CancellationToken.None)).ToDictionary(d => $"{d.Asset}[{d.Partition}]");

    /// <summary>Ends every open run (canceled) and writes the materializations they would have made.</summary>
    private async Task FinishRunsAsync(LakehouseRuntime runtime, IEnumerable<string> runIds)
    {
        foreach (var runId in runIds)
        {
            await runtime.Instance.Runs.CancelRunAsync(runId, _clock.GetUtcNow(), CancellationToken.None);
            foreach (var step in await runtime.Instance.Runs.GetStepsAsync(runId, CancellationToken.None))
                await WriteAsync(runtime, EventType.Materialization, step.Key.Asset, step.Key.Partition!.Value);
        }
    }

    [Fact]
    public async Task Eager_RequestsWhatAnUpdatedUpstreamFeeds_OneRunPerGroup_AndNothingTwiceWhileItsRunIsOpen()
    {
        await using var runtime = await OpenAsync();
        await WriteAsync(runtime, EventType.Materialization, Raw, "a");
        await WriteAsync(runtime, EventType.Materialization, Raw, "b");

        var first = await TickAsync(runtime);

        var decisions = await DecisionsAsync(runtime);
        Assert.Equal(10, first.Evaluated);
        Assert.Equal("never materialized; upstream toy/raw[a] is", decisions["toy/clean[a]"].Reason);
        Assert.Equal("upstream toy/clean is requested in the same run", decisions["toy/summary[b]"].Reason);
        Assert.Equal("waiting: upstream toy/clean is requested in this tick by the toy group's run", decisions["report/by_course[a]"].Reason);
        Assert.False(decisions["report/by_course[a]"].Requested);
        Assert.Equal("never materialized", decisions["backfill/first_copy[a]"].Reason);
        Assert.Equal("waiting: upstream toy/clean is requested in this tick by the toy group's run", decisions["daily/clean_digest[a]"].Reason);
        // One run per group: toy (clean and summary together, the plan orders them) and backfill.
        Assert.Equal(2, first.RunIds.Count);
        var runs = new List<RunRecord>();
        foreach (var id in first.RunIds) runs.Add((await runtime.Instance.Runs.GetRunAsync(id, CancellationToken.None))!);
        var toy = runs.Single(r => r.Tags["automation"] == "toy");
        Assert.Equal("toy/clean,toy/summary", toy.Selection);
        Assert.Equal(["a", "b"], toy.Partitions);
        Assert.Equal(toy.RunId, decisions["toy/clean[a]"].RunId);
        Assert.Equal("backfill/first_copy", runs.Single(r => r.Tags["automation"] == "backfill").Selection);

        _clock.Advance(TimeSpan.FromSeconds(15));
        var second = await TickAsync(runtime);
        Assert.Empty(second.RunIds);
        decisions = await DecisionsAsync(runtime);
        Assert.Equal("in progress (run queued)", decisions["toy/clean[a]"].Reason);
        Assert.Equal("waiting: upstream toy/clean[a] is in progress", decisions["report/by_course[a]"].Reason);

        await FinishRunsAsync(runtime, first.RunIds);
        _clock.Advance(TimeSpan.FromSeconds(15));
        var third = await TickAsync(runtime);
        var selections = new List<string>();
        foreach (var id in third.RunIds) selections.Add((await runtime.Instance.Runs.GetRunAsync(id, CancellationToken.None))!.Selection);
        Assert.Equal(["daily/clean_digest", "report/by_course"], selections.Order(StringComparer.Ordinal));
        decisions = await DecisionsAsync(runtime);
        Assert.StartsWith("up to date: no upstream updated since its materialization at", decisions["toy/clean[b]"].Reason);
        Assert.Equal("materialized (2025-06-02T05:00:15Z)", decisions["backfill/first_copy[a]"].Reason);

        await FinishRunsAsync(runtime, third.RunIds);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await WriteAsync(runtime, EventType.Materialization, Raw, "b");
        var fourth = await TickAsync(runtime);
        var rerun = await runtime.Instance.Runs.GetRunAsync(Assert.Single(fourth.RunIds), CancellationToken.None);
        Assert.Equal(["b"], rerun!.Partitions);
        decisions = await DecisionsAsync(runtime);
        Assert.Equal("upstream toy/raw[b] updated after its materialization at 2025-06-02T05:00:15Z", decisions["toy/clean[b]"].Reason);
        Assert.False(decisions["toy/clean[a]"].Requested);
    }

    [Fact]
    public async Task AGroupsRun_MaterializesEachAssetOnlyInThePartitionsRequestedOfIt()
    {
        await using var runtime = await OpenAsync();
        foreach (var partition in new[] { "a", "b" }) await WriteAsync(runtime, EventType.Materialization, Raw, partition);
        foreach (var partition in new[] { "a", "b" }) await WriteAsync(runtime, EventType.Materialization, Clean, partition);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await WriteAsync(runtime, EventType.Materialization, Raw, "b");

        var tick = await TickAsync(runtime);

        // toy/clean is asked for b only (raw[b] changed), toy/summary for a (never materialized) and b (joins clean[b]).
        var decisions = await DecisionsAsync(runtime);
        Assert.False(decisions["toy/clean[a]"].Requested);
        Assert.True(decisions["toy/clean[b]"].Requested);
        Assert.True(decisions["toy/summary[a]"].Requested);
        Assert.True(decisions["toy/summary[b]"].Requested);
        var toy = (await Task.WhenAll(tick.RunIds.Select(id => runtime.Instance.Runs.GetRunAsync(id, CancellationToken.None)))).Single(r => r!.Tags["automation"] == "toy")!;
        var steps = await runtime.Instance.Runs.GetStepsAsync(toy.RunId, CancellationToken.None);
        Assert.Equal(["toy/clean[b]", "toy/summary[a]", "toy/summary[b]"], steps.Select(s => s.Key.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal([new StepKey(Clean, new PartitionKey("b"))], steps.Single(s => s.Key == new StepKey(Summary, new PartitionKey("b"))).DependsOn);
        Assert.Empty(steps.Single(s => s.Key == new StepKey(Summary, new PartitionKey("a"))).DependsOn);
    }

    [Fact]
    public async Task Eager_WaitsForAnUpstreamInProgressOrFailed_AndDoesNotRetryItsOwnFailureUntilAnUpstreamUpdate()
    {
        await using var runtime = await OpenAsync();
        await WriteAsync(runtime, EventType.Materialization, Raw, "a");
        await WriteAsync(runtime, EventType.Materialization, Raw, "b");
        await WriteAsync(runtime, EventType.Materialization, Clean, "a");
        await WriteAsync(runtime, EventType.Materialization, Clean, "b");
        _clock.Advance(TimeSpan.FromMinutes(1));
        await WriteAsync(runtime, EventType.Materialization, Raw, "a");
        await WriteAsync(runtime, EventType.StepStarted, Raw, "a");
        await WriteAsync(runtime, EventType.Materialization, Raw, "b");
        await WriteAsync(runtime, EventType.StepFailed, Clean, "b");
        await WriteAsync(runtime, EventType.StepFailed, Summary, "a");

        await TickAsync(runtime);

        var decisions = await DecisionsAsync(runtime);
        Assert.Equal("waiting: upstream toy/raw[a] is in progress", decisions["toy/clean[a]"].Reason);
        Assert.Equal("waiting: upstream toy/clean[b] failed (run outside-8)", decisions["toy/summary[b]"].Reason);
        // clean[b] failed after raw[b]'s latest materialization: not asked again until raw[b] changes.
        Assert.Equal("its last materialization failed (run outside-8); waiting for an upstream update", decisions["toy/clean[b]"].Reason);
        Assert.False(decisions["toy/clean[b]"].Requested);

        _clock.Advance(TimeSpan.FromMinutes(1));
        await WriteAsync(runtime, EventType.Materialization, Raw, "b");
        var tick = await TickAsync(runtime);
        Assert.True((await DecisionsAsync(runtime))["toy/clean[b]"].Requested);
        Assert.Single(tick.RunIds, id => runtime.Instance.Runs.GetRunAsync(id, CancellationToken.None).Result!.Selection.StartsWith("toy/clean", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OnCron_RequestsOncePerTick_OnlyAfterEveryUpstreamIsUpdatedSinceTheTick()
    {
        await using var runtime = await OpenAsync();
        await runtime.Instance.Scheduling.SetEnabledAsync(AutomationDaemon.SwitchName(Clean), false, CancellationToken.None);
        await runtime.Instance.Scheduling.SetEnabledAsync(AutomationDaemon.SwitchName(Missing), false, CancellationToken.None);
        // 05:00; the latest tick of "0 6 * * *" was yesterday 06:00, and clean[a] was materialized since.
        await WriteAsync(runtime, EventType.Materialization, Clean, "a");

        var first = await TickAsync(runtime);
        var decisions = await DecisionsAsync(runtime);
        Assert.Equal("tick at 2025-06-01T06:00:00Z and every upstream updated since", decisions["daily/clean_digest[a]"].Reason);
        Assert.Equal("waiting: upstream toy/clean[b] not updated since the tick at 2025-06-01T06:00:00Z", decisions["daily/clean_digest[b]"].Reason);
        Assert.DoesNotContain(decisions.Keys, k => k.StartsWith("toy/clean", StringComparison.Ordinal));

        await FinishRunsAsync(runtime, first.RunIds);
        _clock.Advance(TimeSpan.FromMinutes(90));
        await TickAsync(runtime);
        Assert.Equal("waiting: upstream toy/clean[a] not updated since the tick at 2025-06-02T06:00:00Z", (await DecisionsAsync(runtime))["daily/clean_digest[a]"].Reason);

        await WriteAsync(runtime, EventType.Materialization, Clean, "a");
        var tick = await TickAsync(runtime);
        Assert.Equal("tick at 2025-06-02T06:00:00Z and every upstream updated since", (await DecisionsAsync(runtime))["daily/clean_digest[a]"].Reason);
        Assert.Contains(tick.RunIds, id => runtime.Instance.Runs.GetRunAsync(id, CancellationToken.None).Result!.Selection == "daily/clean_digest");
    }

    [Fact]
    public async Task DecisionsAreStoredOnlyWhenTheyChange_AndAnAssetSwitchedOffIsNoLongerDecided()
    {
        await using var runtime = await OpenAsync();
        await TickAsync(runtime);
        var first = await DecisionsAsync(runtime);
        Assert.Equal("waiting: no upstream partition is materialized yet", first["toy/clean[a]"].Reason);

        _clock.Advance(TimeSpan.FromMinutes(1));
        var second = await TickAsync(runtime);
        var again = await DecisionsAsync(runtime);
        Assert.All(again.Values, d => Assert.Equal(first[$"{d.Asset}[{d.Partition}]"].TickId, d.TickId));
        Assert.NotEqual(second.Id, again["toy/clean[a]"].TickId);

        await runtime.Instance.Scheduling.SetEnabledAsync(AutomationDaemon.SwitchName(Summary), false, CancellationToken.None);
        await WriteAsync(runtime, EventType.Materialization, Clean, "a");
        var third = await TickAsync(runtime);
        var after = await DecisionsAsync(runtime);
        Assert.DoesNotContain(after.Keys, k => k.StartsWith("toy/summary", StringComparison.Ordinal));
        Assert.Equal(8, third.Evaluated);
        Assert.False(await runtime.Automation.IsEnabledAsync(Summary, CancellationToken.None));
        Assert.Equal(third.Id, after["report/by_course[a]"].TickId);
    }

    [Fact]
    public async Task DecisionsStoredByAnotherProcess_AreReadBackBeforeTheyAreCompared()
    {
        await using var one = await OpenAsync();
        await using var other = await OpenAsync();
        await TickAsync(one);
        Assert.Contains("toy/summary[a]", (await DecisionsAsync(one)).Keys);

        // The other process ticks with toy/summary off, so its decisions are removed from the store.
        await one.Instance.Scheduling.SetEnabledAsync(AutomationDaemon.SwitchName(Summary), false, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(15));
        var removing = await TickAsync(other);
        Assert.DoesNotContain(await DecisionsAsync(one), d => d.Key.StartsWith("toy/summary", StringComparison.Ordinal));

        // Back on: the first process decides what it decided at its own last tick. Compared with what it stored then, nothing
        // changed; compared with the store, toy/summary's decisions are missing, and they must be written again.
        await one.Instance.Scheduling.SetEnabledAsync(AutomationDaemon.SwitchName(Summary), true, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(15));
        var back = await TickAsync(one);

        var stored = await DecisionsAsync(one);
        Assert.Equal("waiting: no upstream partition is materialized yet", stored["toy/summary[a]"].Reason);
        Assert.Equal(back.Id, stored["toy/summary[b]"].TickId);
        // What neither process changed keeps the tick that first said it.
        Assert.NotEqual(removing.Id, stored["toy/clean[a]"].TickId);
        Assert.NotEqual(back.Id, stored["toy/clean[a]"].TickId);
    }

    [Fact]
    public async Task ATickFindsTheEvaluationHeldByAnotherProcess_AndLeavesItAlone()
    {
        await using var runtime = await OpenAsync();
        var now = _clock.GetUtcNow();
        Assert.True(await runtime.Instance.Sensors.TryLeaseAsync(AutomationDaemon.LeaseName, "other-process", now, now + TimeSpan.FromMinutes(2), CancellationToken.None));

        Assert.Null(await runtime.Automation.TickAsync(CancellationToken.None));
        Assert.Empty(await runtime.Instance.Automation.GetTicksAsync(10, CancellationToken.None));

        _clock.Advance(TimeSpan.FromMinutes(3));
        Assert.NotNull(await runtime.Automation.TickAsync(CancellationToken.None));
    }
}

public sealed class EmbeddedAutomationDaemonTests : AutomationDaemonTests
{
    protected override Task<LakehouseOptions> OptionsAsync() => Task.FromResult(new LakehouseOptions { Home = Home, Workers = 1 });
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresAutomationDaemonTests(PostgresServerFixture postgres) : AutomationDaemonTests
{
    protected override async Task<LakehouseOptions> OptionsAsync() => Runtimes.Postgres(Home, await postgres.CreateDatabaseAsync(), workers: 1);
}
