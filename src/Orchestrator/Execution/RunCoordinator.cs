using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Serilog;

namespace TmLakehouse.Orchestrator.Execution;

/// <summary>
/// Launches, re-executes and cancels runs. The plan is fixed and stored at launch; which step runs next is decided by the
/// run store under a lock, and this class only acts on that decision (enqueue the ready steps, record skips and the end).
/// </summary>
public sealed class RunCoordinator(RunPlanner planner, LakehouseInstance instance, IStepQueue queue, TimeProvider clock, ILogger log)
{
    /// <summary>
    /// Plans the request, stores the run and enqueues its first steps; returns the run id. A caller that recorded work under
    /// an id before launching (landing files into the ledger) passes that id so the records point at this run.
    /// </summary>
    public async Task<string> LaunchAsync(RunRequest request, CancellationToken cancellationToken, string? runId = null)
    {
        var plan = await planner.PlanAsync(request, cancellationToken);
        if (plan.Steps.Count == 0) throw new RunLaunchException($"Selection '{request.Selection}' planned no step.");
        runId ??= RunIds.New();
        var run = new RunRecord(runId, RunStatus.Queued, request.Selection, clock.GetUtcNow())
        {
            Partitions = request.AllPartitions ? ["*"] : request.Partitions,
            Tags = request.Tags,
        };
        var steps = plan.Steps.Select(s => new StepRecord(runId, s.Key, StepStatus.Pending, s.DependsOn)).ToList();
        await instance.Runs.CreateRunAsync(run, steps, cancellationToken);
        await StartAsync(runId, steps.Count, cancellationToken);
        return runId;
    }

    /// <summary>A new run with the same plan in which the steps that succeeded before count as done; the rest run again.</summary>
    public async Task<string> ReexecuteAsync(string runId, CancellationToken cancellationToken)
    {
        var original = await instance.Runs.GetRunAsync(runId, cancellationToken) ?? throw new RunLaunchException($"No run '{runId}'.");
        if (!original.Status.IsFinal()) throw new RunLaunchException($"Run {runId} is still {original.Status.ToString().ToLowerInvariant()}; cancel it or wait for it to end.");
        var steps = await instance.Runs.GetStepsAsync(runId, cancellationToken);
        if (steps.All(s => s.Status == StepStatus.Succeeded)) throw new RunLaunchException($"Run {runId} succeeded: there is nothing to re-execute.");
        var newId = RunIds.New();
        var run = new RunRecord(newId, RunStatus.Queued, original.Selection, clock.GetUtcNow())
        {
            Partitions = original.Partitions,
            Tags = original.Tags,
            ParentRunId = runId,
        };
        var newSteps = steps.Select(s => new StepRecord(newId, s.Key, s.Status == StepStatus.Succeeded ? StepStatus.Succeeded : StepStatus.Pending, s.DependsOn)).ToList();
        await instance.Runs.CreateRunAsync(run, newSteps, cancellationToken);
        await StartAsync(newId, newSteps.Count(s => s.Status == StepStatus.Pending), cancellationToken);
        return newId;
    }

    /// <summary>Asks a run to stop: waiting steps are canceled, running ones are told to stop.</summary>
    public async Task CancelAsync(string runId, CancellationToken cancellationToken)
    {
        var run = await instance.Runs.GetRunAsync(runId, cancellationToken) ?? throw new RunLaunchException($"No run '{runId}'.");
        if (run.Status.IsFinal()) throw new RunLaunchException($"Run {runId} already ended ({run.Status.ToString().ToLowerInvariant()}).");
        await instance.Runs.CancelRunAsync(runId, clock.GetUtcNow(), cancellationToken);
        log.Information("Cancel requested for run {run_id}", runId);
    }

    /// <summary>Acts on what the store decided after a step transition.</summary>
    public async Task ApplyAsync(string runId, RunProgress progress, CancellationToken cancellationToken)
    {
        // The store wrote the skips and the run's end with the decision; what is left is to hand the ready steps to the workers.
        foreach (var ready in progress.ReadyToEnqueue) queue.Enqueue(runId, ready, 1);
        if (progress.RunEnded is { } ended) log.Information("Run {run_id} ended {status}", runId, ended.ToString().ToLowerInvariant());
        await Task.CompletedTask;
    }

    private async Task StartAsync(string runId, int stepCount, CancellationToken cancellationToken)
    {
        await AppendRunEventAsync(runId, EventType.RunStarted, $"Run started with {stepCount} step(s) to execute.", cancellationToken);
        var progress = await instance.Runs.StartRunAsync(runId, clock.GetUtcNow(), cancellationToken);
        await ApplyAsync(runId, progress, cancellationToken);
    }

    private Task AppendRunEventAsync(string runId, EventType type, string message, CancellationToken cancellationToken) =>
        instance.Events.AppendAsync(new EventRecord(type, runId, clock.GetUtcNow())
        {
            Level = type == EventType.RunFailed ? "Error" : "Information",
            Message = message,
        }, cancellationToken);
}
