using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Npgsql;
using Orchestrator.Tests.Support;
using TestSupport;
using TmLakehouse.Orchestrator.Hosting;

namespace Orchestrator.Tests.Execution;

/// <summary>
/// The coordinator scenarios on the PostgreSQL backend (instance store, Iceberg catalog and Hangfire.PostgreSql in one
/// fresh database per test), plus what only a shared database allows: several worker runtimes on one queue.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresRunCoordinatorTests(PostgresServerFixture postgres) : RunCoordinatorTests
{
    private static readonly string[] TwentyCourses = Enumerable.Range(1, 20).Select(i => $"c{i:00}").ToArray();

    protected override async Task<LakehouseRuntime> OpenAsync(IReadOnlyList<AssetDefinition> assets, int workers = 2) =>
        await Runtimes.PostgresAsync(Home, await postgres.CreateDatabaseAsync(), assets, workers);

    [Fact]
    public async Task TwoWorkerRuntimesOnOneDatabase_RunA20PartitionRun_ExecutingEveryStepExactlyOnce()
    {
        var database = await postgres.CreateDatabaseAsync();
        var toy = new ToyAssets(TwentyCourses);
        await using var first = await Runtimes.PostgresAsync(Path.Combine(Home, "first"), database, toy.Definitions(), workers: 3);
        await using var second = await Runtimes.PostgresAsync(Path.Combine(Home, "second"), database, toy.Definitions(), workers: 3);

        var runId = await first.Coordinator.LaunchAsync(new RunRequest("toy/*") { AllPartitions = true }, CancellationToken.None);
        var run = await WaitAsync(second, runId, seconds: 120);

        Assert.Equal(RunStatus.Succeeded, run.Status);
        var steps = await second.Instance.Runs.GetStepsAsync(runId, CancellationToken.None);
        Assert.Equal(60, steps.Count);
        Assert.All(steps, s => Assert.Equal(StepStatus.Succeeded, s.Status));
        Assert.All(steps, s => Assert.Equal(1, toy.CallsOf(runId, s.Key.ToString())));
        Assert.Equal(60, toy.Calls.Count);
        var statuses = await first.Instance.Events.GetPartitionStatusesAsync(new("toy/summary"), CancellationToken.None);
        Assert.Equal(TwentyCourses, statuses.Where(s => s.State == MaterializationState.Materialized).Select(s => s.Partition!.Value).Order());
    }

    [Fact]
    public async Task StepOfAWorkerThatStops_IsRunAgainByAnotherWorker_AndTheRunSucceeds()
    {
        var database = await postgres.CreateDatabaseAsync();
        // The first worker's clean step waits forever: only its worker stopping ends it.
        var stopping = new ToyAssets { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var taking = new ToyAssets();
        var first = await Runtimes.PostgresAsync(Path.Combine(Home, "first"), database, stopping.Definitions());
        string runId;
        try
        {
            runId = await first.Coordinator.LaunchAsync(new RunRequest("toy/*") { Partitions = ["a"] }, CancellationToken.None);
            await RunWatcherUntil(first, runId, s => s.Key.ToString() == "toy/clean[a]" && s.Status == StepStatus.Running);
        }
        finally
        {
            await first.DisposeAsync();
        }

        await using var second = await Runtimes.PostgresAsync(Path.Combine(Home, "second"), database, taking.Definitions());
        var run = await WaitAsync(second, runId);

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal([("toy/clean[a]", 1)], stopping.Calls.Where(c => c.Step == "toy/clean[a]").Select(c => (c.Step, c.Attempt)));
        Assert.Equal([("toy/clean[a]", 2), ("toy/summary[a]", 1)], taking.Calls.Select(c => (c.Step, c.Attempt)).Order());
        var step = (await second.Instance.Runs.GetStepsAsync(runId, CancellationToken.None)).Single(s => s.Key.ToString() == "toy/clean[a]");
        Assert.Equal((StepStatus.Succeeded, 2), (step.Status, step.Attempt));
        var lost = await second.Instance.Events.QueryAsync(new EventQuery { RunId = runId, Types = [EventType.StepRetry] }, CancellationToken.None);
        Assert.Contains("Attempt 1 was lost", Assert.Single(lost).Message);
    }

    /// <summary>
    /// A process killed while it held Hangfire.PostgreSql distributed locks leaves their rows in hangfire.lock. Planted here as
    /// such a process would leave them (acquired just now) for the state lock of every job the run will create, and for the
    /// scheduler's locks: each waiter deletes a lock row older than the storage's DistributedLockTimeout (30 s) and goes on,
    /// so the run is delayed, not wedged.
    /// </summary>
    [Fact]
    public async Task HangfireLockRowsLeftByAKilledProcess_DelayTheRunButDoNotWedgeIt()
    {
        var database = await postgres.CreateDatabaseAsync();
        var toy = new ToyAssets();
        await using var runtime = await Runtimes.PostgresAsync(Home, database, toy.Definitions());
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var nextJobId = await ScalarAsync<long>(connection, "SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM hangfire.job_id_seq;");
        var planted = Enumerable.Range(0, 40).Select(i => $"hangfire:job:{nextJobId + i}:state-lock")
            .Concat(["hangfire:locks:schedulepoller", "hangfire:recurring-jobs:lock"]).ToArray();
        await using (var plant = new NpgsqlCommand(
            "INSERT INTO hangfire.lock (resource, updatecount, acquired) SELECT r, 0, now() AT TIME ZONE 'UTC' FROM unnest(@resources) r ON CONFLICT DO NOTHING;", connection))
        {
            plant.Parameters.AddWithValue("resources", planted);
            // Every job lock is new (those jobs do not exist yet); the two scheduler locks may be held right now by the live server.
            Assert.InRange(await plant.ExecuteNonQueryAsync(), planted.Length - 2, planted.Length);
        }

        var runId = await runtime.Coordinator.LaunchAsync(new RunRequest("toy/*") { AllPartitions = true }, CancellationToken.None);
        var run = await WaitAsync(runtime, runId, seconds: 150);

        Assert.Equal(RunStatus.Succeeded, run.Status);
        var steps = await runtime.Instance.Runs.GetStepsAsync(runId, CancellationToken.None);
        Assert.All(steps, s => Assert.Equal(1, toy.CallsOf(runId, s.Key.ToString())));
        // Hangfire marks a job Succeeded after the step returns, through the same state lock: wait for all of them, then
        // every planted lock of the run's jobs must have been deleted as stale. (Only step jobs: the minutely repair of lost
        // step jobs may add one of its own.)
        using (var jobsDone = new CancellationTokenSource(TimeSpan.FromSeconds(90)))
            while (await ScalarAsync<long>(connection, "SELECT count(*) FROM hangfire.job WHERE statename IS DISTINCT FROM 'Succeeded' AND invocationdata::text LIKE '%.Execution.StepJob,%';") > 0)
                await Task.Delay(Poll, jobsDone.Token);
        var jobLocks = (await ScalarAsync<long[]>(connection, "SELECT coalesce(array_agg(id), '{}') FROM hangfire.job WHERE invocationdata::text LIKE '%.Execution.StepJob,%';"))
            .Select(id => $"hangfire:job:{id}:state-lock").ToArray();
        // A job per step the queue handed out: a worker runs the first step a step's end made ready itself, in the same job.
        Assert.InRange(jobLocks.Length, 1, steps.Count);
        await using var left = new NpgsqlCommand("SELECT count(*) FROM hangfire.lock WHERE resource = ANY(@resources);", connection);
        left.Parameters.AddWithValue("resources", jobLocks);
        Assert.Equal(0L, await left.ExecuteScalarAsync());
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
