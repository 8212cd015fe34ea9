using Lakehouse.Core.Observability;

namespace Lakehouse.Core.Execution.Steps;

/// <summary>Writes the run summary of a step that ended (not of an attempt that will be retried) to the observability bucket.</summary>
public sealed class StepSummaryStep(IStepRunner inner, StepSummaryWriter writer, TimeProvider clock) : IStepRunner
{
    public async Task<StepResult> RunAsync(StepContext step, CancellationToken cancellationToken)
    {
        var result = await inner.RunAsync(step, cancellationToken);
        if (!result.IsFinal) return result;
        var duration = (long)clock.GetElapsedTime(step.StartedTimestamp).TotalMilliseconds;
        var status = result.Kind == StepResultKind.Succeeded ? "succeeded" : "failed";
        await writer.WriteAsync(StepSummaryWriter.FromMetadata(step.RunId, step.Step, status, step.Attempt, duration, result.Error, result.Metadata),
            step.Step, CancellationToken.None);
        return result;
    }
}
