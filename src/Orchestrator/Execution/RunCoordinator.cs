using Lakehouse.Core.Execution;
using Lakehouse.Core.Execution.Steps;
using Lakehouse.Core.Instance;
using Serilog;

namespace TmLakehouse.Orchestrator.Execution;

/// <summary>
/// Launches, re-executes and cancels runs. The plan is fixed and stored at launch, with each step's upstream reads; which
/// step runs next is decided by the instance store under a lock, and this class only hands the ready steps to the queue.
/// </summary>
public sealed class RunCoordinator(RunPlanner planner, LaunchCheck check, LakehouseInstance instance, IStepQueue queue, ProcessLeases leases, TimeProvider clock, ILogger log)
{
    /// <summary>
    /// Plans and checks the request (<see cref="LaunchCheck"/>: nothing is stored for a refused one), stores the run and
    /// enqueues its first steps; returns the run id. A caller that recorded work under
    /// an id before launching (landing files into the ledger) passes that id so the records point at this run; one that launches
    /// many runs at once (a backfill tick) passes one <paramref name="snapshot"/> to them all, so the instance is read once.
    /// </summary>
    public async Task<string> LaunchAsync(RunRequest request, CancellationToken cancellationToken, string? runId = null, LaunchSnapshot? snapshot = null)
    {
        var (run, steps) = await PlanRunAsync(request, runId ?? RunIds.New(), snapshot, cancellationToken);
        await CreateAndStartAsync([(run, steps, steps.Count)], cancellationToken);
        return run.RunId;
    }

    /// <summary>
    /// Launches many runs under the ids given: each is planned and checked (one snapshot of the instance for all) and those
    /// that pass are stored and started in one transaction, then their first steps enqueued. A sensor tick launching ten runs
    /// commits once, not ten times. Returns, in order, null for each launched run and why each other was refused (nothing
    /// stored for it); a failed commit throws and stores none.
    /// </summary>
    public async Task<IReadOnlyList<Exception?>> LaunchManyAsync(IReadOnlyList<(RunRequest Request, string RunId)> launches, CancellationToken cancellationToken)
    {
        var snapshot = new LaunchSnapshot(instance);
        var refused = new Exception?[launches.Count];
        var planned = new List<(RunRecord, IReadOnlyList<StepRecord>, int)>();
        for (var i = 0; i < launches.Count; i++)
        {
            try
            {
                var (run, steps) = await PlanRunAsync(launches[i].Request, launches[i].RunId, snapshot, cancellationToken);
                planned.Add((run, steps, steps.Count));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                refused[i] = ex;
            }
        }
        await CreateAndStartAsync(planned, cancellationToken);
        return refused;
    }

    private async Task<(RunRecord Run, IReadOnlyList<StepRecord> Steps)> PlanRunAsync(RunRequest request, string runId, LaunchSnapshot? snapshot,
        CancellationToken cancellationToken)
    {
        var plan = await planner.PlanAsync(request, cancellationToken, snapshot);
        if (plan.Steps.Count == 0) throw new RunLaunchException($"Selection '{request.Selection}' planned no step.");
        await check.CheckAsync(plan, cancellationToken, snapshot);
        var run = new RunRecord(runId, RunStatus.Queued, request.Selection, clock.GetUtcNow())
        {
            Partitions = RunPlanner.DistinctPartitions(request),
            Tags = request.Tags,
            Owner = leases.Owner,
        };
        return (run, plan.Steps.Select(s => new StepRecord(runId, s.Key, StepStatus.Pending, s.DependsOn) { UpstreamPartitions = s.UpstreamPartitions }).ToList());
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
            Owner = leases.Owner,
        };
        var newSteps = steps.Select(s => new StepRecord(newId, s.Key, s.Status == StepStatus.Succeeded ? StepStatus.Succeeded : StepStatus.Pending, s.DependsOn)
        {
            UpstreamPartitions = s.UpstreamPartitions,
        }).ToList();
        await CreateAndStartAsync([(run, newSteps, newSteps.Count(s => s.Status == StepStatus.Pending))], cancellationToken);
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

    /// <summary>Stores the runs, their start events and their starts in one transaction, then enqueues the steps they made ready, largest input first.</summary>
    private async Task CreateAndStartAsync(IReadOnlyList<(RunRecord Run, IReadOnlyList<StepRecord> Steps, int ToExecute)> runs, CancellationToken cancellationToken)
    {
        if (runs.Count == 0) return;
        var now = clock.GetUtcNow();
        var transaction = instance.BeginTransaction();
        foreach (var (run, steps, toExecute) in runs)
        {
            transaction.CreateRun(run, steps);
            transaction.Append([new EventRecord(EventType.RunStarted, run.RunId, now) { Message = $"Run started with {toExecute} step(s) to execute." }]);
            transaction.StartRun(run.RunId, now);
        }
        var commit = await transaction.CommitAsync(cancellationToken);
        // After the commit: a job must never name a step the store does not hold Queued (a duplicate delivery claims nothing).
        queue.EnqueueMany(await LargestInputFirst.OrderAsync(commit.ToEnqueue, runs.SelectMany(r => r.Steps), instance.Events, cancellationToken));
        foreach (var (run, _, _) in runs)
            if (commit.RunsEnded.TryGetValue(run.RunId, out var ended))
                log.Information("Run {run_id} ended {status}", run.RunId, ended.ToString().ToLowerInvariant());
    }
}
