using System.Diagnostics;
using Lakehouse.Core.Observability;

namespace Lakehouse.Core.Execution.Steps;

/// <summary>A span per step attempt, and the step counters and duration histogram, tagged with the run, asset, partition and attempt.</summary>
public sealed class TelemetrySpan(IStepRunner inner, TimeProvider clock) : IStepRunner
{
    public async Task<StepResult> RunAsync(StepContext step, CancellationToken cancellationToken)
    {
        using var activity = LakehouseTelemetry.Source.StartActivity("step");
        activity?.SetTag("run_id", step.RunId).SetTag("asset_key", step.Step.Asset.Value).SetTag("partition", step.Step.Partition?.Value).SetTag("attempt", step.Attempt);
        var assetTag = new KeyValuePair<string, object?>("asset_key", step.Step.Asset.Value);
        LakehouseTelemetry.StepsStarted.Add(1, assetTag);
        try
        {
            var result = await inner.RunAsync(step, cancellationToken);
            LakehouseTelemetry.StepDuration.Record(clock.GetElapsedTime(step.StartedTimestamp).TotalMilliseconds, assetTag);
            var succeeded = result.Kind == StepResultKind.Succeeded;
            (succeeded ? LakehouseTelemetry.StepsSucceeded : LakehouseTelemetry.StepsFailed).Add(1, assetTag);
            activity?.SetStatus(succeeded ? ActivityStatusCode.Ok : ActivityStatusCode.Error, result.Error);
            return result;
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }
    }
}
