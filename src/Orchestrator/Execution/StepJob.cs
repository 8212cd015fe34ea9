using System.ComponentModel;
using Hangfire;
using Hangfire.Server;

namespace TmLakehouse.Orchestrator.Execution;

/// <summary>The Hangfire job of one step attempt. Hangfire's own retries are off: retries follow the asset's policy.</summary>
public sealed class StepJob(StepExecutor executor)
{
    /// <summary>Hangfire passes its <see cref="PerformContext"/> in place of the null the job was created with.</summary>
    [AutomaticRetry(Attempts = 0)]
    [DisplayName("{1} (run {0}, attempt {2})")]
    public Task ExecuteAsync(string runId, string step, int attempt, PerformContext? context, CancellationToken cancellationToken) =>
        executor.ExecuteAsync(runId, step, attempt, context is null ? null : new HangfireStepDelivery(context), cancellationToken);
}
