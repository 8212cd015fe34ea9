using Hangfire.Server;
using Lakehouse.Core.Execution.Steps;

namespace TmLakehouse.Orchestrator.Execution;

/// <summary>Keeps the claim marker as a parameter of the Hangfire job, which survives the worker that set it.</summary>
internal sealed class HangfireStepDelivery(PerformContext context) : IStepDelivery
{
    private const string Parameter = "tm_claiming_attempt";

    // The parameters as fetched with this delivery (no storage round trip): an earlier delivery marked itself before its
    // worker stopped, so before this one was fetched.
    public bool EarlierDeliveryClaimed(int attempt) => context.GetJobParameter<int?>(Parameter, allowStale: true) == attempt;

    public void MarkClaiming(int attempt) => context.SetJobParameter(Parameter, attempt);
}
