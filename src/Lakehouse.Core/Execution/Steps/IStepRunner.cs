namespace Lakehouse.Core.Execution.Steps;

/// <summary>
/// One link of the step pipeline: runs a claimed step attempt and says how it ended. Each decorator does one thing around
/// the runner it wraps (see <see cref="StepPipeline"/>), the way Hangfire's filters wrap a job's performance.
/// </summary>
public interface IStepRunner
{
    Task<StepResult> RunAsync(StepContext step, CancellationToken cancellationToken);
}
