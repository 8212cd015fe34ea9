namespace Lakehouse.Core.Execution.Steps;

/// <summary>
/// One delivery of a step job by the queue. A job is delivered again when the worker holding it stopped or died mid-step;
/// the marker lets that later delivery tell "my own earlier delivery claimed this attempt" from a duplicate job.
/// </summary>
public interface IStepDelivery
{
    /// <summary>True when an earlier delivery of this same job marked itself as claiming this attempt.</summary>
    bool EarlierDeliveryClaimed(int attempt);

    /// <summary>Records, before the claim is tried, that this job is claiming the attempt.</summary>
    void MarkClaiming(int attempt);
}
