using Lakehouse.Core.Assets;
using TmLakehouse.Assets.Bronze;
using TmLakehouse.Assets.Spatial;

namespace TmLakehouse.Assets.Landing;

/// <summary>
/// What each intent of a manifest asks for (LANDING_AND_SPATIAL §1): <c>ingest_rounds</c> lands its exports in Bronze, the spatial
/// intents run their spatial asset for the batch. An unknown intent takes the default of its files' type and says so.
/// </summary>
public static class ManifestIntents
{
    public const string IngestRounds = "ingest_rounds";
    public const string IngestVector = Spatial.Recipes.VectorRecipes.IngestVector;
    public const string IngestRaster = Spatial.Raster.RasterBatchIngest.Intent;
    public const string CourseSections = Spatial.Recipes.VectorRecipes.CourseSections;

    public const string Rounds = "rounds";
    public const string Vector = "vector";
    public const string Raster = "raster";

    public static IReadOnlyList<string> FileTypes { get; } = [Rounds, Vector, Raster];

    /// <summary>The file type each known intent takes.</summary>
    public static IReadOnlyDictionary<string, string> TypeOf { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [IngestRounds] = Rounds,
        [IngestVector] = Vector,
        [IngestRaster] = Raster,
        [CourseSections] = Vector,
    };

    /// <summary>The intent whose recipe a manifest runs: its own when known, else the default of its files' type (all files share one type, checked).</summary>
    public static string EffectiveIntent(LandingManifest manifest, out string? note)
    {
        note = null;
        if (TypeOf.ContainsKey(manifest.Intent)) return manifest.Intent;
        var type = manifest.Files[0].Type;
        var intent = type switch { Rounds => IngestRounds, Raster => IngestRaster, _ => IngestVector };
        note = $"intent '{manifest.Intent}' is unknown: the default for {type} files ({intent}) was used";
        return intent;
    }

    /// <summary>The asset a manifest's run materializes.</summary>
    public static AssetKey AssetOf(string effectiveIntent) => effectiveIntent switch
    {
        IngestRounds => BronzeRoundsRawAsset.Key,
        _ => SpatialBatchAssets.KeyOf(effectiveIntent),
    };
}
