using TmLakehouse.Assets.Spatial.Output;
using TmLakehouse.Assets.Spatial.Raster;
using TmLakehouse.Assets.Spatial.Recipes;

namespace TmLakehouse.Assets.Spatial;

/// <summary>
/// The entry point the manifest sensor calls for a validated spatial batch: <c>ingest_raster</c> goes to the COG pipeline,
/// <c>ingest_vector</c> and <c>course_sections</c> (and any other intent, on the default recipe with a note) to the vector one.
/// </summary>
public sealed class SpatialIntake(VectorBatchIngest vector, RasterBatchIngest raster)
{
    public static IReadOnlyList<string> Intents { get; } = [VectorRecipes.IngestVector, RasterBatchIngest.Intent, VectorRecipes.CourseSections];

    public async Task<SpatialIntakeResult> RunAsync(SpatialBatch batch, string runId, CancellationToken cancellationToken) =>
        batch.Intent == RasterBatchIngest.Intent
            ? new SpatialIntakeResult(null, await raster.RunAsync(batch, runId, cancellationToken))
            : new SpatialIntakeResult(await vector.RunAsync(batch, runId, cancellationToken), null);
}

/// <summary>What a spatial batch produced: vector datasets or raster COGs.</summary>
public sealed record SpatialIntakeResult(VectorBatchResult? Vector, RasterBatchResult? Raster);
