namespace TmLakehouse.Assets.Landing;

/// <summary>
/// A manifest of the landing zone that passed every rule of LANDING_AND_SPATIAL §1: the batch, who sent it, its intent, its files
/// and the <c>metadata</c> object as JSON text; <see cref="Sha256"/> is of the manifest's bytes, so a corrected manifest is a new request.
/// </summary>
public sealed record LandingManifest(string Key, string Sha256, string BatchId, string Uploader, string Intent, IReadOnlyList<ManifestFile> Files, string Metadata)
{
    /// <summary>The run key of LANDING_AND_SPATIAL §1: the same manifest seen twice (restart, two workers) never launches twice.</summary>
    public string RunKey => $"{BatchId}:{Sha256}";
}

/// <summary>One file of a manifest: its key in the landing bucket, type (rounds, vector, raster), and the optional format, crs and dataset name.</summary>
public sealed record ManifestFile(string Path, string Type, string? Format, string? Crs, string? Dataset);
