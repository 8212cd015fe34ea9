using Lakehouse.Core.Execution;

namespace TmLakehouse.Orchestrator.Execution;

/// <summary>Hands a step attempt to the workers (Hangfire in every mode); the seam that keeps the coordinator free of Hangfire.</summary>
public interface IStepQueue
{
    void Enqueue(string runId, StepKey step, int attempt);
    void Schedule(string runId, StepKey step, int attempt, TimeSpan delay);
}
