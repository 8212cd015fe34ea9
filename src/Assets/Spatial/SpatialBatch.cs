using Lakehouse.Core.Quality;
using TmLakehouse.Assets.Spatial.Output;

namespace TmLakehouse.Assets.Spatial;

/// <summary>
/// A validated manifest batch of spatial files, as the manifest sensor hands it over (LANDING_AND_SPATIAL §1–3): the batch,
/// its intent (<c>ingest_vector</c>, <c>ingest_raster</c>, <c>course_sections</c>), who sent it, the manifest's
/// <c>metadata</c> object as JSON text, title and abstract for the dataset document, and its files fetched to local paths.
/// </summary>
public sealed record SpatialBatch(string BatchId, string Intent, IReadOnlyList<SpatialFile> Files)
{
    public string? Uploader { get; init; }
    public string Metadata { get; init; } = "{}";
    public string? Title { get; init; }
    public string? Abstract { get; init; }

    /// <summary>The quarantine report of this batch failing at <paramref name="step"/>: nothing of it was committed.</summary>
    public QuarantineReport FailureReport(string step, string runId, string error, DateTimeOffset at) => new()
    {
        Layer = SpatialTables.Namespace,
        Asset = $"{SpatialTables.Namespace}/{Intent}",
        Step = step,
        RunId = runId,
        Partition = new Dictionary<string, string> { ["batch_id"] = BatchId },
        InputPaths = Files.Select(f => f.LandingKey).ToList(),
        StepFailed = true,
        Error = error,
        CreatedAt = at,
    };
}
