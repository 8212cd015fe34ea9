using System.ComponentModel;
using Hangfire;

namespace TmLakehouse.Orchestrator.Execution;

/// <summary>The Hangfire job of one step attempt. Hangfire's own retries are off: retries follow the asset's policy.</summary>
public sealed class StepJob(StepExecutor executor)
{
    [AutomaticRetry(Attempts = 0)]
    [DisplayName("{1} (run {0}, attempt {2})")]
    public Task ExecuteAsync(string runId, string step, int attempt, CancellationToken cancellationToken) =>
        executor.ExecuteAsync(runId, step, attempt, cancellationToken);
}
