using Lakehouse.Core.Execution;
using Lakehouse.Core.Objects;
using TmLakehouse.Assets.Bronze;

namespace TmLakehouse.Assets.Landing;

/// <summary>
/// Lands the exports of an <c>ingest_rounds</c> manifest with <see cref="BronzeLanding"/>, the code `tmlake land` uses: the same
/// checks, the same ledger rows (carrying the batch, uploader, intent and metadata), the same no-op for content already landed.
/// </summary>
public static class ManifestRoundsLanding
{
    public static async Task<IReadOnlyList<LandingResult>> LandAsync(LandingManifest manifest, string courseId, DateOnly ingestDate, string runId,
        LakehouseResources resources, TimeProvider clock, CancellationToken cancellationToken)
    {
        var landing = new BronzeLanding(resources, clock) { Origin = new LandingOrigin(manifest.BatchId, manifest.Uploader, manifest.Intent, manifest.Metadata) };
        var store = resources.Objects.For(Layers.Landing);
        var results = new List<LandingResult>();
        foreach (var file in manifest.Files)
        {
            await using var local = await LandingDownload.FetchAsync(store, resources.Objects, file.Path, cancellationToken);
            results.Add(await landing.LandAsync(local.Path, courseId, ingestDate, runId, cancellationToken));
        }
        return results;
    }
}
