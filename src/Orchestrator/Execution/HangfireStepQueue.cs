using Hangfire;
using Hangfire.States;
using Lakehouse.Core.Execution.Steps;
using Lakehouse.Core.Instance;

namespace TmLakehouse.Orchestrator.Execution;

/// <summary>
/// Enqueues step attempts as Hangfire jobs on one queue; an attempt with a delay (a retry) becomes a scheduled job. With
/// <paramref name="batch"/> (a durable job storage, where each job costs several round trips), many attempts due now go
/// out as one <see cref="StepJobBatch"/> that a worker turns into their jobs.
/// </summary>
internal sealed class HangfireStepQueue(IBackgroundJobClient client, string queue, bool batch) : IStepQueue
{
    public void Enqueue(QueuedStep step)
    {
        var text = step.Step.ToString();
        IState state = step.Delay <= TimeSpan.Zero ? new EnqueuedState(queue) : new ScheduledState(step.Delay);
        client.Create<StepJob>(j => j.ExecuteAsync(step.RunId, text, step.Attempt, null, CancellationToken.None), state);
    }

    public void EnqueueMany(IReadOnlyList<QueuedStep> steps)
    {
        var now = steps.Where(s => s.Delay <= TimeSpan.Zero).ToList();
        if (!batch || now.Count < 2)
        {
            foreach (var step in steps) Enqueue(step);
            return;
        }
        var texts = now.Select(StepJobBatch.Format).ToArray();
        client.Create<StepJobBatch>(j => j.Enqueue(texts), new EnqueuedState(queue));
        foreach (var step in steps.Where(s => s.Delay > TimeSpan.Zero)) Enqueue(step);
    }
}
