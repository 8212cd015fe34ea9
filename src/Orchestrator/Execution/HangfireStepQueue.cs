using Hangfire;
using Hangfire.States;
using Lakehouse.Core.Execution.Steps;
using Lakehouse.Core.Instance;

namespace TmLakehouse.Orchestrator.Execution;

/// <summary>Enqueues step attempts as Hangfire jobs on one queue; an attempt with a delay (a retry) becomes a scheduled job.</summary>
internal sealed class HangfireStepQueue(IBackgroundJobClient client, string queue) : IStepQueue
{
    public void Enqueue(QueuedStep step)
    {
        var text = step.Step.ToString();
        IState state = step.Delay <= TimeSpan.Zero ? new EnqueuedState(queue) : new ScheduledState(step.Delay);
        client.Create<StepJob>(j => j.ExecuteAsync(step.RunId, text, step.Attempt, null, CancellationToken.None), state);
    }
}
