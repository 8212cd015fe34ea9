namespace Lakehouse.Core.Execution.Steps;

/// <summary>
/// One delivery of a step job by the queue. A job is delivered again when the worker holding it stopped or died mid-step;
/// the marker lets that later delivery tell which attempt its earlier delivery was in (the job's own step, or a step it
/// ran next on the same worker) from a duplicate job.
/// </summary>
public interface IStepDelivery
{
    /// <summary>The step attempt an earlier delivery of this same job last marked itself as claiming, or null.</summary>
    (StepKey Step, int Attempt)? EarlierClaim();

    /// <summary>Records, before the claim is tried, that this job is claiming the attempt.</summary>
    void MarkClaiming(StepKey step, int attempt);
}
