using System.Collections.Concurrent;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Config;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Execution.Steps;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Partitions;
using Microsoft.Extensions.Time.Testing;

namespace Lakehouse.Core.Tests.Execution.Steps;

/// <summary>An inner link that answers with a given result (or throws), recording what it was given.</summary>
internal sealed class FakeRunner(Func<StepContext, CancellationToken, Task<StepResult>> answer) : IStepRunner
{
    public ConcurrentQueue<StepContext> Calls { get; } = new();
    public CancellationToken LastToken { get; private set; }

    public static FakeRunner Returning(StepResult result) => new((_, _) => Task.FromResult(result));
    public static FakeRunner Throwing(Exception exception) => new((_, _) => Task.FromException<StepResult>(exception));

    public Task<StepResult> RunAsync(StepContext step, CancellationToken cancellationToken)
    {
        Calls.Enqueue(step);
        LastToken = cancellationToken;
        return answer(step, cancellationToken);
    }
}

/// <summary>A queue that keeps what it was handed.</summary>
internal sealed class RecordingQueue : IStepQueue
{
    public ConcurrentQueue<QueuedStep> Queued { get; } = new();
    public void Enqueue(QueuedStep step) => Queued.Enqueue(step);
}

/// <summary>A delivery whose earlier-claim marker a test sets.</summary>
internal sealed class FakeDelivery((StepKey Step, int Attempt)? claimedBefore) : IStepDelivery
{
    public (StepKey Step, int Attempt)? Marked { get; private set; }
    public (StepKey Step, int Attempt)? EarlierClaim() => claimedBefore;
    public void MarkClaiming(StepKey step, int attempt) => Marked = (step, attempt);
}

/// <summary>A real SQLite instance and local object stores in a temp folder, with a fake clock, for the pipeline's links.</summary>
internal sealed class StepLake : IAsyncDisposable
{
    private StepLake(string home, LakehouseInstance instance, FakeTimeProvider clock)
    {
        Home = home;
        Instance = instance;
        Clock = clock;
        Options = new LakehouseOptions { Home = home };
        Objects = new LocalObjectStoreProvider(Options);
        Resources = new LakehouseResources(Options, null!, Objects, instance);
    }

    public string Home { get; }
    public LakehouseInstance Instance { get; }
    public FakeTimeProvider Clock { get; }
    public LakehouseOptions Options { get; }
    public IObjectStoreProvider Objects { get; }
    public LakehouseResources Resources { get; }

    public static async Task<StepLake> OpenAsync()
    {
        var home = Directory.CreateTempSubdirectory("tm-steps-").FullName;
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
        return new StepLake(home, await InstanceStores.OpenSqliteAsync(Path.Combine(home, "instance.db"), clock, CancellationToken.None), clock);
    }

    /// <summary>Stores and starts a run of the given (step, upstream steps) plan; returns its id.</summary>
    public async Task<string> StartRunAsync(params (StepKey Step, StepKey[] DependsOn)[] plan)
    {
        var runId = $"run-{Guid.NewGuid():N}"[..12];
        await Instance.Runs.CreateRunAsync(new RunRecord(runId, RunStatus.Queued, "t/*", Clock.GetUtcNow()),
            plan.Select(p => new StepRecord(runId, p.Step, StepStatus.Pending, p.DependsOn)).ToList(), CancellationToken.None);
        await Instance.Runs.StartRunAsync(runId, Clock.GetUtcNow(), CancellationToken.None);
        return runId;
    }

    public async Task<IReadOnlyList<EventRecord>> EventsAsync(string runId) =>
        await Instance.Events.QueryAsync(new EventQuery { RunId = runId }, CancellationToken.None);

    public async Task<StepRecord> StepAsync(string runId, StepKey step) =>
        (await Instance.Runs.GetStepsAsync(runId, CancellationToken.None)).Single(s => s.Key == step);

    public async ValueTask DisposeAsync()
    {
        await Instance.DisposeAsync();
        Directory.Delete(Home, recursive: true);
    }
}

/// <summary>Builders for steps and contexts.</summary>
internal static class StepSome
{
    public static StepKey Step(string asset, string? partition = null) => new(new AssetKey(asset), partition is null ? null : new PartitionKey(partition));

    public static AssetDefinition Definition(string key, RetryPolicy? retry = null, params string[] others) => AssetDefinition.Multi(
        [new AssetSpec(new AssetKey(key)) { Retry = retry ?? RetryPolicy.None }, .. others.Select(o => new AssetSpec(new AssetKey(o)))],
        new NoAsset());

    public static StepContext Context(AssetDefinition definition, int attempt = 1, string runId = "r1", string? partition = null, TimeProvider? clock = null) => new()
    {
        RunId = runId,
        Step = new StepKey(definition.Key, partition is null ? null : new PartitionKey(partition)),
        Attempt = attempt,
        Definition = definition,
        UpstreamPartitions = StepRecord.NoReads,
        StartedTimestamp = (clock ?? TimeProvider.System).GetTimestamp(),
        Log = Serilog.Core.Logger.None,
    };

    /// <summary>A computation no test may reach: the pipeline links under test never call it.</summary>
    private sealed class NoAsset : IAsset
    {
        public Task<MaterializeResult> MaterializeAsync(AssetExecutionContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The link under test called the asset's computation.");
    }
}
