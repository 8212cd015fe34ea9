using System.ComponentModel;
using Hangfire;
using Hangfire.Server;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Execution.Steps;

namespace TmLakehouse.Orchestrator.Execution;

/// <summary>
/// The Hangfire job of one step attempt: hands it to the step pipeline (<see cref="StepPipeline"/>) and nothing more.
/// Hangfire's own retries are off: retries follow the asset's policy.
/// </summary>
public sealed class StepJob(StepClaim pipeline)
{
    /// <summary>Hangfire passes its <see cref="PerformContext"/> in place of the null the job was created with.</summary>
    [AutomaticRetry(Attempts = 0)]
    [DisplayName("{1} (run {0}, attempt {2})")]
    public Task ExecuteAsync(string runId, string step, int attempt, PerformContext? context, CancellationToken cancellationToken) =>
        pipeline.ExecuteAsync(runId, StepKey.Parse(step), attempt, context is null ? null : new HangfireStepDelivery(context), cancellationToken);
}
