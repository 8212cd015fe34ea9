namespace TmLakehouse.Assets.Spatial.Recipes;

/// <summary>Where a vector recipe runs: in process, or on a transient PostGIS schema.</summary>
public interface IVectorEngine
{
    string Name { get; }

    /// <summary>
    /// Runs every step in order over a file's features, checking the one-geometry-column contract before and after each; the
    /// result is on local disk, ordered as the recipe leaves it. The caller disposes it.
    /// </summary>
    Task<ProcessedLayer> ProcessAsync(VectorSource source, VectorRecipe recipe, string runId, CancellationToken cancellationToken);

    /// <summary>The same over a layer in memory, giving one back (the contract test compares engines feature by feature).</summary>
    Task<VectorLayer> RunAsync(VectorLayer input, VectorRecipe recipe, string runId, CancellationToken cancellationToken);
}
