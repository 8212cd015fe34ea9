using System.Text.Json;
using Hangfire;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Execution.Steps;
using Lakehouse.Core.Instance;
using Npgsql;
using Serilog;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Orchestrator.Execution;

/// <summary>
/// Gives back its job to a step the instance store holds Queued but the durable queue (Hangfire.PostgreSql) holds no live
/// job for. A step end commits first and enqueues its successors after (a job must never name a step the store does not
/// hold Queued), so a worker killed between the two, or a job that failed in Hangfire's own machinery, would leave its
/// run waiting forever. A step is requeued only when it is seen without a job twice, <see cref="Confirmation"/> apart: a
/// live process between its commit and its enqueue is never raced. A duplicate job would be harmless anyway: its claim
/// finds the step no longer Queued and claims nothing.
/// </summary>
public sealed class LostStepJobRepair(LakehouseInstance instance, InstanceBackend backend, IStepQueue queue, ILogger log)
{
    public const string RecurringJobId = "tm:lost-step-jobs";

    /// <summary>
    /// Hangfire states in which a job has ended. Every other job will still run: a dead server's Processing job is fetched
    /// again, and a job without a state yet is being created (its state may wait on a lock for a while). An orphan left
    /// without a state by a creator that died is removed by Hangfire when it expires, and its step is repaired then.
    /// </summary>
    private static readonly string[] EndedStates = ["Succeeded", "Failed", "Deleted"];

    public static TimeSpan Confirmation { get; } = TimeSpan.FromSeconds(10);

    /// <summary>The recurring job: one repair at a time across workers.</summary>
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 120)]
    public Task RepairAsync(CancellationToken cancellationToken) => RepairAsync(Confirmation, cancellationToken);

    /// <summary>Requeues the steps found without a live job twice, <paramref name="confirmation"/> apart; returns them.</summary>
    public async Task<IReadOnlyList<QueuedStep>> RepairAsync(TimeSpan confirmation, CancellationToken cancellationToken)
    {
        var first = await FindWithoutJobAsync(cancellationToken);
        if (first.Count == 0) return [];
        await Task.Delay(confirmation, cancellationToken);
        var again = (await FindWithoutJobAsync(cancellationToken)).ToHashSet();
        var lost = first.Where(again.Contains).ToList();
        foreach (var step in lost)
        {
            log.Warning("Step {step} of run {run_id} is queued as attempt {attempt} but has no job (its worker stopped before enqueuing it): queuing it again",
                step.Step.ToString(), step.RunId, step.Attempt);
            queue.Enqueue(step);
        }
        return lost;
    }

    /// <summary>The Queued steps of open runs that no live step job names (same run, step and attempt).</summary>
    public async Task<IReadOnlyList<QueuedStep>> FindWithoutJobAsync(CancellationToken cancellationToken)
    {
        var queued = await instance.Runs.GetQueuedStepsAsync(cancellationToken);
        if (queued.Count == 0) return [];
        var live = await LiveStepJobsAsync(cancellationToken);
        return queued.Where(s => !live.Contains((s.RunId, s.Step.ToString(), s.Attempt))).ToList();
    }

    private async Task<HashSet<(string RunId, string Step, int Attempt)>> LiveStepJobsAsync(CancellationToken cancellationToken)
    {
        var connectionString = backend.PostgresConnectionString
            ?? throw new InvalidOperationException("Lost step jobs are repaired on the PostgreSQL job queue only; an in-memory queue dies with its runs.");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            $"SELECT arguments FROM {HangfireStorage.PostgresSchema}.job WHERE (statename IS NULL OR NOT (statename = ANY(@ended))) AND invocationdata::text LIKE @type;", connection);
        command.Parameters.AddWithValue("ended", EndedStates);
        // The type's name also matches StepJobBatch's, whose live jobs will still make the step jobs they name.
        command.Parameters.AddWithValue("type", $"%{typeof(StepJob).FullName}%");
        var live = new HashSet<(string, string, int)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            foreach (var job in ReadArguments(reader.GetString(0))) live.Add(job);
        return live;
    }

    /// <summary>
    /// The attempts a StepJob's or a StepJobBatch's arguments name, as Hangfire stores them: a JSON array of each argument's own
    /// JSON (run id, step, attempt; or one array of <see cref="StepJobBatch.Format"/> texts).
    /// </summary>
    private static IReadOnlyList<(string, string, int)> ReadArguments(string arguments)
    {
        try
        {
            var values = JsonSerializer.Deserialize<string?[]>(arguments);
            if (values is [{ } batch])
                return (JsonSerializer.Deserialize<string[]>(batch) ?? []).Select(StepJobBatch.Parse).Select(s => (s.RunId, s.Step.ToString(), s.Attempt)).ToList();
            if (values is not { Length: >= 3 } || values[0] is null || values[1] is null || values[2] is null) return [];
            return [(JsonSerializer.Deserialize<string>(values[0]!)!, JsonSerializer.Deserialize<string>(values[1]!)!, JsonSerializer.Deserialize<int>(values[2]!))];
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException)
        {
            return [];
        }
    }
}
