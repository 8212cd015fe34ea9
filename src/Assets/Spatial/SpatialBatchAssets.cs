using System.Text.Json;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Partitions;
using TmLakehouse.Assets.Landing;
using TmLakehouse.Assets.Spatial.Output;
using TmLakehouse.Assets.Spatial.Raster;
using TmLakehouse.Assets.Spatial.Recipes;

namespace TmLakehouse.Assets.Spatial;

/// <summary>
/// The spatial assets the manifest sensor requests: <c>spatial/ingest_vector</c>, <c>spatial/ingest_raster</c> and
/// <c>spatial/course_sections</c>, one partition per landing batch (<c>spatial_batches</c>). A step reads its batch's manifest
/// (the one its run was requested for, checked by SHA-256), validates it again, copies the files to local disk and hands the batch
/// to <see cref="SpatialIntake"/>, which writes the tables or COGs, their documents and ledger rows.
/// </summary>
public sealed class SpatialBatchAssets(string intent) : IAsset
{
    public static DynamicPartitionsDefinition Batches { get; } = new(SpatialTables.BatchPartitions, "batch_id");

    public static AssetKey KeyOf(string intent) => new($"{SpatialTables.Namespace}/{intent}");

    public static IReadOnlyList<AssetDefinition> All { get; } = SpatialIntake.Intents.Select(Define).ToList();

    private static AssetDefinition Define(string intent) => new(
        new AssetSpec(KeyOf(intent))
        {
            Description = intent switch
            {
                RasterBatchIngest.Intent => "Raster batches of the landing zone as Cloud Optimized GeoTIFFs in EPSG:4326, one per file, with ledger rows.",
                VectorRecipes.CourseSections => "Course section polygons of the landing zone into spatial/course_sections (Silver's fix_in_section check reads them).",
                _ => "Vector batches of the landing zone as GeoParquet tables spatial/<dataset> in EPSG:4326, with their metadata documents and ledger rows.",
            },
            Partitions = Batches,
            Group = SpatialTables.Namespace,
        },
        new SpatialBatchAssets(intent));

    public async Task<MaterializeResult> MaterializeAsync(AssetExecutionContext context, CancellationToken cancellationToken)
    {
        var batchId = context.Partition?.Value ?? throw new InvalidOperationException($"{context.AssetKey} needs a batch partition.");
        var resources = context.Resources;
        var run = await resources.Instance.Runs.GetRunAsync(context.RunId, cancellationToken);
        if (run is null || !run.Tags.TryGetValue(ManifestTags.ManifestSha256, out var wanted))
            throw new SpatialInputException(batchId, null, $"run {context.RunId} was not requested by the manifest sensor (no {ManifestTags.ManifestSha256} tag): spatial batches come from manifests/{batchId}.json");
        var landing = resources.Objects.For(Layers.Landing);
        var key = $"{ManifestValidation.Folder}{batchId}.json";
        byte[] content;
        await using (var stream = await landing.OpenReadAsync(key, cancellationToken))
        using (var buffer = new MemoryStream())
        {
            await stream.CopyToAsync(buffer, cancellationToken);
            content = buffer.ToArray();
        }
        var (manifest, errors) = await ManifestValidation.ValidateAsync(key, content, landing, resources.Objects, context.Clock, cancellationToken);
        if (manifest is null) throw new SpatialInputException(key, null, string.Join("; ", errors));
        if (manifest.Sha256 != wanted)
            throw new SpatialInputException(key, null, $"the manifest changed since this run was requested (sha256 {manifest.Sha256}, requested {wanted}); the new one gets a run of its own");
        if (ManifestIntents.EffectiveIntent(manifest, out var note) != intent)
            throw new SpatialInputException(key, null, $"intent '{manifest.Intent}' does not go to {context.AssetKey}");

        var (folder, _) = await LandingDownload.FetchAllAsync(landing, resources.Objects, await WithSidecarsAsync(landing, manifest, cancellationToken), cancellationToken);
        await using (folder)
        {
            var files = manifest.Files.Select(f => new SpatialFile(f.Path, LocalPathOf(folder.Path, f.Path), f.Format, f.Crs, f.Dataset)).ToList();
            var (title, @abstract) = TitleOf(manifest.Metadata);
            var batch = new SpatialBatch(batchId, intent, files) { Uploader = manifest.Uploader, Metadata = manifest.Metadata, Title = title, Abstract = @abstract };
            var intake = new SpatialIntake(new VectorBatchIngest(resources, VectorEngines.From(resources.Options, context.Clock), context.Clock),
                new RasterBatchIngest(resources, new ProcessGdalRunner(), context.Clock));
            var result = await intake.RunAsync(batch, context.RunId, cancellationToken);
            return new MaterializeResult { Metadata = MetadataOf(manifest, result, note) };
        }
    }

    /// <summary>A Shapefile's .shx, .dbf, .prj (and other sidecars) travel with it though the manifest names only the .shp.</summary>
    private static async Task<IReadOnlyList<string>> WithSidecarsAsync(IObjectStore landing, LandingManifest manifest, CancellationToken cancellationToken)
    {
        var keys = new SortedSet<string>(manifest.Files.Select(f => f.Path), StringComparer.Ordinal);
        foreach (var file in manifest.Files.Where(f => f.Path.EndsWith(".shp", StringComparison.OrdinalIgnoreCase)))
        {
            var stem = file.Path[..^".shp".Length] + ".";
            await foreach (var info in landing.ListAsync(stem, cancellationToken))
                if (info.Key.IndexOf('/', stem.Length) < 0 && ManifestValidation.PathProblem(info.Key, manifest.BatchId) is null) keys.Add(info.Key);
        }
        return keys.ToList();
    }

    private static string LocalPathOf(string folder, string landingKey) => Path.Combine(folder, landingKey[(landingKey.IndexOf('/') + 1)..]);

    /// <summary>The dataset document's title and abstract: the manifest's metadata title (else its project) and description.</summary>
    private static (string? Title, string? Abstract) TitleOf(string metadata)
    {
        using var json = JsonDocument.Parse(metadata);
        string? Text(string name) => json.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return (Text("title") ?? Text("project"), Text("description"));
    }

    private static Dictionary<string, MetadataValue> MetadataOf(LandingManifest manifest, SpatialIntakeResult result, string? note)
    {
        var metadata = new Dictionary<string, MetadataValue>
        {
            ["batch_id"] = MetadataValue.Text(manifest.BatchId),
            ["manifest"] = MetadataValue.Text(manifest.Key),
            ["manifest_sha256"] = MetadataValue.Text(manifest.Sha256),
            ["files"] = MetadataValue.Int(manifest.Files.Count),
        };
        if (note is not null) metadata["intent_note"] = MetadataValue.Text(note);
        if (result.Vector is { } vector)
        {
            metadata["tables"] = MetadataValue.Json(vector.Datasets.Select(d => d.Table.ToString()).ToList());
            metadata["features"] = MetadataValue.Int(vector.Datasets.Sum(d => d.Metadata.FeatureCount));
            metadata["ledger_ids"] = MetadataValue.Json(vector.Datasets.SelectMany(d => d.Ledger).Select(l => l.Id).ToList());
            metadata["metadata_documents"] = MetadataValue.Json(vector.Datasets.Select(d => d.MetadataKey).ToList());
            if (vector.Note is not null) metadata["recipe_note"] = MetadataValue.Text(vector.Note);
        }
        if (result.Raster is { } raster)
        {
            metadata["cogs"] = MetadataValue.Json(raster.Outputs.Select(o => o.Key).ToList());
            metadata["ledger_ids"] = MetadataValue.Json(raster.Outputs.Select(o => o.Ledger.Id).ToList());
        }
        return metadata;
    }
}
