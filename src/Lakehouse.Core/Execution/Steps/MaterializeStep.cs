using Lakehouse.Core.Assets;

namespace Lakehouse.Core.Execution.Steps;

/// <summary>The plain step runner at the end of the pipeline: calls the asset's computation with its context and returns what it reported.</summary>
public sealed class MaterializeStep(AssetGraph graph, LakehouseResources resources, TimeProvider clock) : IStepRunner
{
    public async Task<StepResult> RunAsync(StepContext step, CancellationToken cancellationToken)
    {
        var context = new AssetExecutionContext
        {
            RunId = step.RunId,
            AssetKey = step.Step.Asset,
            AssetKeys = step.Assets,
            Partition = step.Step.Partition,
            Attempt = step.Attempt,
            Inputs = new AssetInputs(resources.Objects, step.UpstreamPartitions.Select(r => (graph.Spec(r.Key), r.Value))),
            Log = step.Log,
            Clock = clock,
            Resources = resources,
        };
        return StepResult.Materialized(await step.Definition.Compute.MaterializeAsync(context, cancellationToken));
    }
}
