using Hangfire.Server;
using Lakehouse.Core.Execution.Steps;

namespace TmLakehouse.Orchestrator.Execution;

/// <summary>Keeps the claim marker as a parameter of the Hangfire job, which survives the worker that set it.</summary>
internal sealed class HangfireStepDelivery(PerformContext context) : IStepDelivery
{
    private const string Parameter = "tm_claiming_attempt";

    public bool EarlierDeliveryClaimed(int attempt) => context.GetJobParameter<int?>(Parameter) == attempt;

    public void MarkClaiming(int attempt) => context.SetJobParameter(Parameter, attempt);
}
