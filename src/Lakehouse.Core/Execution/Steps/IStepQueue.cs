using Lakehouse.Core.Instance;

namespace Lakehouse.Core.Execution.Steps;

/// <summary>Hands a step attempt to the workers (Hangfire in every mode); the seam that keeps Core free of Hangfire.</summary>
public interface IStepQueue
{
    /// <summary>Queues the attempt at once, or after its delay (a retry's backoff).</summary>
    void Enqueue(QueuedStep step);

    /// <summary>Queues many attempts (a launch's first steps); a queue whose every job costs round trips hands them over at once.</summary>
    void EnqueueMany(IReadOnlyList<QueuedStep> steps)
    {
        foreach (var step in steps) Enqueue(step);
    }
}
