using Lakehouse.Core.Objects;
using Lakehouse.Core.Quality;
using Lakehouse.Core.Tables;
using TmLakehouse.Assets.Bronze;
using TmLakehouse.Assets.Spatial.Reading;
using TmLakehouse.Assets.Spatial.Recipes;

namespace TmLakehouse.Assets.Spatial.Output;

/// <summary>
/// One vector batch of the landing zone, end to end: read every file, run the intent's recipe on the chosen engine, replace
/// the batch's partition of <c>spatial.vector</c> and store the dataset's metadata document beside the data. A bad file
/// fails the whole batch before anything is written to the lake: the error names the file (and feature), and a quarantine
/// report under <c>quarantine/spatial/batch_id=.../run_id=.../</c> says the same.
/// </summary>
public sealed class VectorBatchIngest(ITableCatalog tables, IObjectStoreProvider objects, IVectorEngine engine, TimeProvider clock)
{
    public const string Namespace = "spatial";

    /// <summary>The key of a batch's metadata document in the spatial bucket.</summary>
    public static string MetadataKeyOf(string batchId) => $"vector/datasets/batch_id={batchId}/metadata.json";

    public async Task<VectorBatchResult> RunAsync(
        string batchId, string intent, string runId, IReadOnlyList<SpatialFile> files, string? title, string? @abstract, CancellationToken cancellationToken)
    {
        var recipe = VectorRecipes.ForIntent(intent, out var note);
        var layers = new List<VectorLayer>();
        var sources = new List<DatasetSource>();
        try
        {
            foreach (var file in files)
            {
                var layer = VectorFileReader.Read(file.LocalPath, file.LandingKey, file.Format, file.Crs);
                var sha256 = await FileHashing.Sha256OfFileAsync(file.LocalPath, cancellationToken);
                sources.Add(new DatasetSource(file.LandingKey, sha256, layer.Format, layer.Crs.Name, layer.Features.Count));
                layers.Add(await engine.RunAsync(layer, recipe, runId, cancellationToken));
            }
        }
        catch (SpatialInputException e)
        {
            await new QuarantineWriter(objects).WriteAsync(new QuarantineReport
            {
                Layer = Namespace,
                Asset = $"{Namespace}/vector",
                Step = recipe.Name,
                RunId = runId,
                Partition = new Dictionary<string, string> { ["batch_id"] = batchId },
                InputPaths = files.Select(f => f.LandingKey).ToList(),
                StepFailed = true,
                Error = e.Message,
                CreatedAt = clock.GetUtcNow(),
            }, null, cancellationToken);
            throw;
        }
        var table = await tables.CreateOrLoadAsync(SpatialTables.Vector, cancellationToken);
        var document = DatasetMetadata.Of(title ?? batchId, @abstract, $"{Namespace}.vector", layers, sources, runId, engine.Name, recipe, clock.GetUtcNow());
        var metadataKey = MetadataKeyOf(batchId);
        // The document first: a commit is only ever visible with its document beside it.
        using (var json = new MemoryStream(document.ToJson()))
            await objects.For(Namespace).PutAsync(metadataKey, json, null, cancellationToken);
        var commit = await VectorTableWriter.ReplaceBatchAsync(table, batchId, layers,
            new Dictionary<string, string> { ["tm.run-id"] = runId, ["tm.partition"] = batchId, ["tm.recipe"] = recipe.Name }, cancellationToken);
        return new VectorBatchResult(commit, document, metadataKey, sources, note);
    }
}

/// <summary>What a vector batch produced: the table commit, its metadata document and where it is, the sources, and a note for an unknown intent.</summary>
public sealed record VectorBatchResult(TableCommit Commit, DatasetMetadata Metadata, string MetadataKey, IReadOnlyList<DatasetSource> Sources, string? Note);
