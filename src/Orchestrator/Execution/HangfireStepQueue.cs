using Hangfire;
using Hangfire.States;
using Lakehouse.Core.Execution;

namespace TmLakehouse.Orchestrator.Execution;

/// <summary>Enqueues step attempts as Hangfire jobs on one queue.</summary>
internal sealed class HangfireStepQueue(IBackgroundJobClient client, string queue) : IStepQueue
{
    public void Enqueue(string runId, StepKey step, int attempt)
    {
        var text = step.ToString();
        client.Create<StepJob>(j => j.ExecuteAsync(runId, text, attempt, null, CancellationToken.None), new EnqueuedState(queue));
    }

    public void Schedule(string runId, StepKey step, int attempt, TimeSpan delay)
    {
        var text = step.ToString();
        client.Create<StepJob>(j => j.ExecuteAsync(runId, text, attempt, null, CancellationToken.None), new ScheduledState(delay));
    }
}
