using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Partitions;
using Microsoft.Extensions.Time.Testing;

namespace Lakehouse.Core.Tests.Instance;

/// <summary>
/// What every instance store must do, whatever its database: derived classes open a fresh store per test, and every
/// test here runs against each of them.
/// </summary>
public abstract partial class InstanceStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    protected static readonly CancellationToken None = CancellationToken.None;

    /// <summary>The clock the instance is opened with; the stores read no other.</summary>
    protected FakeTimeProvider Clock { get; } = new(T0.AddHours(1));

    protected LakehouseInstance Instance { get; set; } = null!;
    protected IRunStore Runs => Instance.Runs;
    protected IEventLogStore Events => Instance.Events;

    /// <summary>Creates an empty database and returns where it is (a file path, a connection string).</summary>
    protected abstract Task<string> CreateEmptyDatabaseAsync();

    /// <summary>Opens the instance on a database with <see cref="Clock"/>, running its migrations.</summary>
    protected abstract Task<LakehouseInstance> OpenAsync(string database);

    /// <summary>The versions recorded in the database's <c>schema_migrations</c> table, one entry per row.</summary>
    protected abstract Task<IReadOnlyList<int>> ReadAppliedMigrationsAsync(string database);

    /// <summary>Runs a script of raw SQL on the database (to plant an older schema's rows).</summary>
    protected abstract Task ExecuteSqlAsync(string database, string sql);

    /// <summary>A UTC instant as a literal of the database's time column type.</summary>
    protected abstract string TimeLiteral(DateTimeOffset at);

    /// <summary>The database's type for a UTC instant column.</summary>
    protected abstract string TimeColumn { get; }

    protected string Database { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Database = await CreateEmptyDatabaseAsync();
        Instance = await OpenAsync(Database);
    }

    public virtual async Task DisposeAsync() => await Instance.DisposeAsync();

    protected static StepKey Step(string asset, string? partition = null) =>
        new(new AssetKey(asset), partition is null ? null : new PartitionKey(partition));

    protected static DateTimeOffset At(int seconds) => T0.AddSeconds(seconds);

    /// <summary>Stores a run whose plan is given as (step, upstream steps) pairs, every step Pending.</summary>
    protected async Task<string> CreateRunAsync(params (StepKey Step, StepKey[] DependsOn)[] plan)
    {
        var runId = $"run-{Guid.NewGuid():N}";
        await Runs.CreateRunAsync(new RunRecord(runId, RunStatus.Queued, "test/*", T0),
            plan.Select(p => new StepRecord(runId, p.Step, StepStatus.Pending, p.DependsOn)).ToList(), None);
        return runId;
    }

    /// <summary>a → (b, c) → d: the smallest plan with a fan-out and a fan-in.</summary>
    protected static (StepKey Step, StepKey[] DependsOn)[] Diamond() =>
    [
        (Step("t/a"), []),
        (Step("t/b"), [Step("t/a")]),
        (Step("t/c"), [Step("t/a")]),
        (Step("t/d"), [Step("t/b"), Step("t/c")]),
    ];

    /// <summary>Takes a Queued step and completes it, as a worker does.</summary>
    protected async Task<RunProgress> RunStepAsync(string runId, StepKey step, bool succeed = true, int attempt = 1)
    {
        Assert.True(await Runs.TryStartStepAsync(runId, step, attempt, At(10), None), $"{step} should have been Queued");
        return await Runs.CompleteStepAsync(runId, step, succeed ? StepOutcome.Success : StepOutcome.Failure($"{step} broke"), At(20), None);
    }

    protected async Task<Dictionary<StepKey, StepStatus>> StatusesAsync(string runId) =>
        (await Runs.GetStepsAsync(runId, None)).ToDictionary(s => s.Key, s => s.Status);
}
