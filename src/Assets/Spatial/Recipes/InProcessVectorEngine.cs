namespace TmLakehouse.Assets.Spatial.Recipes;

/// <summary>Runs recipes with NetTopologySuite and ProjNET in this process (the embedded default: no server).</summary>
public sealed class InProcessVectorEngine : IVectorEngine
{
    public string Name => "in_process";

    public Task<VectorLayer> RunAsync(VectorLayer input, VectorRecipe recipe, string runId, CancellationToken cancellationToken)
    {
        var layer = input;
        foreach (var step in recipe.Steps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            GeometryColumnContract.Check(layer, $"before {step.Name}");
            layer = step.Apply(layer);
            GeometryColumnContract.Check(layer, $"after {step.Name}");
        }
        return Task.FromResult(layer);
    }
}
