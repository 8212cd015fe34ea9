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

    private async Task<LakehouseRuntime> OpenAsync()
    {
        var sensor = new SensorDefinition(Name, TimeSpan.FromSeconds(30), (context, _) => Task.FromResult(new SensorResult
        {
            Cursor = _next.Cursor,
            RunRequests = _next.Keys.Select(k => new SensorRunRequest(k, new RunRequest("toy/raw") { Partitions = ["a"] })
            {
                Prepare = k == _next.Broken ? (_, _) => throw new IOException($"export for {k} is unreadable") : null,
            }).ToList(),
        }));
        // Client only: the test checks what a tick launches and stores, not the steps (no worker takes them).
        return await LakehouseRuntime.OpenAsync(await OptionsAsync(), _toy.Definitions(), RuntimeRole.ClientOnly, new LoggerConfiguration().CreateLogger(),
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
