using Lakehouse.Core.Instance;

namespace Lakehouse.Core.Execution.Steps;

/// <summary>Hands a step attempt to the workers (Hangfire in every mode); the seam that keeps Core free of Hangfire.</summary>
public interface IStepQueue
{
    /// <summary>Queues the attempt at once, or after its delay (a retry's backoff).</summary>
    void Enqueue(QueuedStep step);
}
