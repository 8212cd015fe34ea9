using Lakehouse.Core.Config;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Orchestrator.Tests.Support;
using Serilog;
using TestSupport;
using TmLakehouse.Orchestrator.Execution;
using TmLakehouse.Orchestrator.Hosting;

namespace Orchestrator.Tests.Execution;

/// <summary>
/// TM_POOL_&lt;NAME&gt;=N: at most N steps of a pool's assets run at once, whatever the workers; the others wait for a slot and run
/// when one frees. On SQLite (one process) and on PostgreSQL across two worker runtimes sharing the database.
/// </summary>
public abstract class ConcurrencyPoolTests : IDisposable
{
    protected const int Limit = 2;
    private readonly TempHome _home = new();

    protected string Home => _home.Path;

    protected static IReadOnlyDictionary<string, int> Pools { get; } = new Dictionary<string, int> { ["slow"] = Limit };

    /// <summary>The runtimes whose workers share the pool (one, or two on one database), each with 3 workers.</summary>
    protected abstract Task<IReadOnlyList<LakehouseRuntime>> OpenAsync(ToyAssets toy);

    public void Dispose()
    {
        _home.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task StepsOfAPool_RunNoMoreThanItsLimitAtOnce_AcrossWorkers_AndAllRunWhenSlotsFree()
    {
        var toy = new ToyAssets(Enumerable.Range(1, 6).Select(i => $"c{i}").ToList())
        {
            RawPool = "Slow",
            RawGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously),
        };
        var runtimes = await OpenAsync(toy);
        try
        {
            var first = runtimes[0];
            var runId = await first.Coordinator.LaunchAsync(new RunRequest("toy/raw") { AllPartitions = true }, CancellationToken.None);
            using (var started = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
                while (toy.Calls.Count < Limit || (await first.Instance.Runs.GetStepsAsync(runId, started.Token)).Count(s => s.Status == StepStatus.Running) < 6)
                    await Task.Delay(20, started.Token);
            // Every step is claimed and Running (6 of the 6 workers), yet only the pool's limit got past the slot.
            for (var i = 0; i < 10; i++)
            {
                await Task.Delay(50);
                Assert.Equal(Limit, toy.Calls.Count);
                Assert.Equal(Limit, await first.Instance.Pools.CountHeldAsync("slow", first.Clock.GetUtcNow(), CancellationToken.None));
            }

            toy.RawGate.SetResult();
            var run = await RunWatcher.WaitAsync(first.Instance.Runs, runId, null, TimeSpan.FromMilliseconds(20), new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token);

            Assert.Equal(RunStatus.Succeeded, run.Status);
            Assert.Equal(6, toy.Calls.Count);
            Assert.All(toy.Calls.GroupBy(c => c.Step), g => Assert.Single(g));
            Assert.Equal(0, await first.Instance.Pools.CountHeldAsync("slow", first.Clock.GetUtcNow(), CancellationToken.None));
        }
        finally
        {
            foreach (var runtime in runtimes) await runtime.DisposeAsync();
        }
    }
}

/// <summary>Pools on the embedded backend: one process, 6 workers.</summary>
public sealed class EmbeddedConcurrencyPoolTests : ConcurrencyPoolTests
{
    protected override async Task<IReadOnlyList<LakehouseRuntime>> OpenAsync(ToyAssets toy) =>
    [
        await LakehouseRuntime.OpenAsync(new LakehouseOptions { Home = Home, Workers = 6, Pools = Pools }, toy.Definitions(), RuntimeRole.Workers(6),
            new LoggerConfiguration().CreateLogger()),
    ];
}

/// <summary>Pools on PostgreSQL: two worker runtimes of 3 workers on one database share the pool's slots.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresConcurrencyPoolTests(PostgresServerFixture postgres) : ConcurrencyPoolTests
{
    protected override async Task<IReadOnlyList<LakehouseRuntime>> OpenAsync(ToyAssets toy)
    {
        var database = await postgres.CreateDatabaseAsync();
        var runtimes = new List<LakehouseRuntime>();
        foreach (var name in new[] { "first", "second" })
            runtimes.Add(await LakehouseRuntime.OpenAsync(Runtimes.Postgres(Path.Combine(Home, name), database, workers: 3) with { Pools = Pools },
                toy.Definitions(), RuntimeRole.Workers(3), new LoggerConfiguration().CreateLogger()));
        return runtimes;
    }
}
