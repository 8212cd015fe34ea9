namespace TmLakehouse.Assets.Spatial.Recipes;

/// <summary>Where a vector recipe runs: in process, or on a transient PostGIS schema. Both take and give a layer.</summary>
public interface IVectorEngine
{
    string Name { get; }

    /// <summary>Runs every step in order, checking the one-geometry-column contract before and after each.</summary>
    Task<VectorLayer> RunAsync(VectorLayer input, VectorRecipe recipe, string runId, CancellationToken cancellationToken);
}
