using Lakehouse.Core.Execution;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orchestrator.Tests.Support;
using Serilog;
using TestSupport;
using TmLakehouse.Orchestrator.Execution;
using TmLakehouse.Orchestrator.Hosting;

namespace Orchestrator.Tests.Execution;

/// <summary>
/// A process killed between a step end's commit and its enqueue leaves steps Queued with no job in Hangfire.PostgreSql:
/// the repair finds exactly those, leaves steps whose jobs live alone, and requeues the lost ones so the run ends.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class LostStepJobRepairTests(PostgresServerFixture postgres) : IDisposable
{
    private readonly TempHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task QueuedStepsWhoseJobsWereLost_AreQueuedAgain_AndTheRunSucceedsWithEachStepRunOnce()
    {
        var database = await postgres.CreateDatabaseAsync();
        var toy = new ToyAssets();
        string runId;
        await using (var client = await LakehouseRuntime.OpenAsync(Runtimes.Postgres(Path.Combine(_home.Path, "client"), database), toy.Definitions(),
                         RuntimeRole.ClientOnly, new LoggerConfiguration().CreateLogger()))
        {
            runId = await client.Coordinator.LaunchAsync(new RunRequest("toy/*") { AllPartitions = true }, CancellationToken.None);
            var repair = client.Services.GetRequiredService<LostStepJobRepair>();
            // Launched by a live client: both first steps have their jobs, so nothing is missing.
            Assert.Empty(await repair.FindWithoutJobAsync(CancellationToken.None));

            await DeleteStepJobsAsync(database);
            var lost = await repair.FindWithoutJobAsync(CancellationToken.None);
            Assert.Equal(["toy/raw[a]", "toy/raw[b]"], lost.Select(s => s.Step.ToString()).Order(StringComparer.Ordinal));
            Assert.All(lost, s => Assert.Equal((runId, 1), (s.RunId, s.Attempt)));
        }

        await using var worker = await Runtimes.PostgresAsync(Path.Combine(_home.Path, "worker"), database, toy.Definitions());
        var requeued = await worker.Services.GetRequiredService<LostStepJobRepair>().RepairAsync(TimeSpan.FromMilliseconds(200), CancellationToken.None);
        Assert.Equal(2, requeued.Count);

        var run = await RunWatcher.WaitAsync(worker.Instance.Runs, runId, null, TimeSpan.FromMilliseconds(100), new CancellationTokenSource(TimeSpan.FromSeconds(90)).Token);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        var steps = await worker.Instance.Runs.GetStepsAsync(runId, CancellationToken.None);
        Assert.Equal(6, steps.Count);
        Assert.All(steps, s => Assert.Equal(1, toy.CallsOf(runId, s.Key.ToString())));
        // Every step that followed was enqueued by a live worker: a second repair finds nothing.
        Assert.Empty(await worker.Services.GetRequiredService<LostStepJobRepair>().RepairAsync(TimeSpan.FromMilliseconds(200), CancellationToken.None));
    }

    /// <summary>What a crash between commit and enqueue leaves: the store's Queued steps, and no Hangfire job for them.</summary>
    private static async Task DeleteStepJobsAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "DELETE FROM hangfire.jobqueue; DELETE FROM hangfire.state; DELETE FROM hangfire.jobparameter; DELETE FROM hangfire.job;", connection);
        await command.ExecuteNonQueryAsync();
    }
}
