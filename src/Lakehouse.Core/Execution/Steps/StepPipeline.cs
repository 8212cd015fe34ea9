using Lakehouse.Core.Assets;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Observability;

namespace Lakehouse.Core.Execution.Steps;

/// <summary>
/// Composes the step pipeline, outermost first: claim (the attempt) → cancel watch → pool slot → log scope → summary → telemetry span →
/// retry classification → results to events → materialize. A link for what the chain lacks (a lease with heartbeats
/// for dead processes, a concurrency pool) is one more decorator placed here, right inside the claim.
/// </summary>
public static class StepPipeline
{
    /// <summary>
    /// The pipeline's entry; <see cref="RunLogFiles"/> (at <see cref="LogFolder"/>) is the caller's to close. <paramref name="queueRedelivers"/>:
    /// the queue hands a job out again after its worker died (a durable queue); one that does not lets a step's end claim the next step.
    /// </summary>
    public static StepClaim Create(AssetGraph graph, LakehouseResources resources, IStepQueue queue, TimeProvider clock, Serilog.ILogger processLog,
        RunLogFiles logFiles, TimeSpan? cancelPollInterval = null, bool queueRedelivers = true)
    {
        var instance = resources.Instance;
        IStepRunner runner = new MaterializeStep(graph, resources, clock);
        runner = new ResultEvents(runner, clock);
        runner = new RetryClassification(runner);
        runner = new TelemetrySpan(runner, clock);
        runner = new StepSummaryStep(runner, new StepSummaryWriter(resources.Objects), clock);
        runner = new StepLogScope(runner, processLog, logFiles, clock);
        // Inside the cancel watch: a step of a canceled run stops waiting for its pool's slot.
        runner = new PoolSlot(runner, instance.Pools, resources.Options.Pools, clock, PoolSlot.DefaultPollInterval);
        runner = new CancelWatch(runner, instance.Runs, clock, cancelPollInterval ?? CancelWatch.DefaultPollInterval);
        return new StepClaim(graph, instance, runner, queue, clock, processLog, successorsInline: true, claimSuccessorInEnd: !queueRedelivers);
    }

    /// <summary>Where the steps' run log files go: TM_HOME/logs/runs.</summary>
    public static string LogFolder(Config.LakehouseOptions options) => Path.Combine(options.Home, "logs", "runs");
}
