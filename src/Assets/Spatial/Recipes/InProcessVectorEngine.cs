namespace TmLakehouse.Assets.Spatial.Recipes;

/// <summary>
/// Runs recipes with NetTopologySuite and ProjNET in this process (the embedded default: no server). Features stream from the
/// reader through every step one at a time into the processed layer's sorted runs, so memory does not grow with the file.
/// </summary>
public sealed class InProcessVectorEngine : IVectorEngine
{
    public string Name => "in_process";

    public Task<ProcessedLayer> ProcessAsync(VectorSource source, VectorRecipe recipe, string runId, CancellationToken cancellationToken)
    {
        var file = source.SourceFile;
        var crs = source.Crs;
        var steps = new List<(VectorStep Step, Func<VectorFeature, VectorFeature> Apply, string Before, string After)>();
        foreach (var step in recipe.Steps)
        {
            steps.Add((step, step.For(file, crs), $"before {step.Name}", $"after {step.Name}"));
            crs = step.OutputCrs(crs);
        }
        var first = steps.Count > 0 ? steps[0].Before : "before writing";
        var output = new ProcessedLayer(file, source.Format, crs);
        try
        {
            foreach (var read in source.Features())
            {
                if ((output.Count & 1023) == 0) cancellationToken.ThrowIfCancellationRequested();
                // A geometry-valued attribute shows up with its feature: the columns are checked again as each one arrives.
                if (!source.HasOnlyGeometryColumn) GeometryColumnContract.CheckColumns(file, source.GeometryColumns, first);
                var feature = read;
                var key = 0L;
                foreach (var (step, apply, before, after) in steps)
                {
                    GeometryColumnContract.CheckFeature(file, feature, before);
                    feature = apply(feature);
                    GeometryColumnContract.CheckFeature(file, feature, after);
                    if (step is SpatialIndexStep) key = SpatialIndexStep.KeyOf(feature.Geometry);
                }
                output.Add(key, feature);
            }
            if (output.Count == 0) throw new SpatialInputException(file, null, "the layer has no features");
            return Task.FromResult(output);
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    public async Task<VectorLayer> RunAsync(VectorLayer input, VectorRecipe recipe, string runId, CancellationToken cancellationToken)
    {
        using var processed = await ProcessAsync(VectorSource.Of(input), recipe, runId, cancellationToken);
        // Properties as the input held them (a JSON round trip would turn 2.0 into 2), as the PostGIS engine gives them back.
        var byIndex = input.Features.ToDictionary(f => f.Index, f => f.Properties);
        var features = processed.Features().Select(f => f with { Properties = byIndex[f.Index] }).ToList();
        return input with { Crs = processed.Crs, Features = features };
    }
}
