using Hangfire.Server;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Execution.Steps;

namespace TmLakehouse.Orchestrator.Execution;

/// <summary>Keeps the claim marker ("attempt|step") as a parameter of the Hangfire job, which survives the worker that set it.</summary>
internal sealed class HangfireStepDelivery(PerformContext context) : IStepDelivery
{
    private const string Parameter = "tm_claiming";

    // The parameters as fetched with this delivery (no storage round trip): an earlier delivery marked itself before its
    // worker stopped, so before this one was fetched.
    public (StepKey Step, int Attempt)? EarlierClaim() =>
        context.GetJobParameter<string?>(Parameter, allowStale: true) is { } marker && marker.Split('|', 2) is [var attempt, var step]
            ? (StepKey.Parse(step), int.Parse(attempt, System.Globalization.CultureInfo.InvariantCulture))
            : null;

    public void MarkClaiming(StepKey step, int attempt) => context.SetJobParameter(Parameter, $"{attempt}|{step}");
}
