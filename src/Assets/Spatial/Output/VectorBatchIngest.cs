using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Quality;
using Lakehouse.Core.Tables;
using TmLakehouse.Assets.Bronze;
using TmLakehouse.Assets.Spatial.Reading;
using TmLakehouse.Assets.Spatial.Recipes;
using TmLakehouse.Assets.Spatial.Sections;

namespace TmLakehouse.Assets.Spatial.Output;

/// <summary>
/// One vector batch of the landing zone, end to end: stream every file through the intent's recipe on the chosen engine, and for
/// each dataset (<c>spatial/&lt;name&gt;</c>, by default one per file) replace the batch's partition, store the dataset's
/// metadata document beside the data, with a ledger row written before each object (the document and every data file, with its
/// SHA-256) whose id the object carries in its user metadata. A bad file fails the
/// whole batch before anything is written to the lake: the error names the file (and feature), and a quarantine report
/// under <c>quarantine/spatial/batch_id=.../run_id=.../</c> says the same.
/// </summary>
public sealed class VectorBatchIngest(LakehouseResources resources, IVectorEngine engine, TimeProvider clock)
{
    public const string Namespace = SpatialTables.Namespace;

    /// <summary>The key of a dataset's metadata document for one batch, in the spatial bucket.</summary>
    public static string MetadataKeyOf(string dataset, string batchId) => $"{dataset}/datasets/batch_id={batchId}/metadata.json";

    private IObjectStore Store => resources.Objects.For(Layers.Spatial);

    public async Task<VectorBatchResult> RunAsync(SpatialBatch batch, string runId, CancellationToken cancellationToken)
    {
        var recipe = VectorRecipes.ForIntent(batch.Intent, out var note);
        var layers = new List<(SpatialFile File, ProcessedLayer Layer, DatasetSource Source)>();
        var sections = new List<(string SourceFile, CourseSection Section)>();
        var isSections = recipe == VectorRecipes.Sections;
        try
        {
            try
            {
                if (batch.Files.Count == 0) throw new SpatialInputException(batch.BatchId, null, "the batch has no spatial files");
                // Every file runs its recipe into local runs before anything is written: a bad feature in the last file
                // still leaves the lake untouched.
                foreach (var file in batch.Files)
                {
                    var source = VectorFileReader.Open(file.LocalPath, file.LandingKey, file.Format, file.Crs);
                    var sha256 = await FileHashing.Sha256OfFileAsync(file.LocalPath, cancellationToken);
                    var processed = await engine.ProcessAsync(source, recipe, runId, cancellationToken);
                    layers.Add((file, processed, new DatasetSource(file.LandingKey, sha256, source.Format, source.Crs.Name, checked((int)processed.Count))));
                    if (isSections)
                    {
                        var courseId = CourseSection.CourseIdOf(batch.Metadata);
                        sections.AddRange(processed.Features().Select(f => (file.LandingKey, CourseSection.Of(f, file.LandingKey, courseId))));
                    }
                }
            }
            catch (SpatialInputException e)
            {
                await new QuarantineWriter(resources.Objects).WriteAsync(batch.FailureReport(recipe.Name, runId, e.Message, clock.GetUtcNow()), null, cancellationToken);
                throw;
            }

            var summary = new Dictionary<string, string> { ["tm.run-id"] = runId, ["tm.partition"] = batch.BatchId, ["tm.recipe"] = recipe.Name };
            var datasets = new List<VectorDatasetResult>();
            if (isSections)
                datasets.Add(await WriteDatasetAsync(batch, runId, recipe, SpatialTables.CourseSections, layers.Select(l => l.Layer).ToList(), layers.Select(l => l.Source).ToList(),
                    (table, recorder) => CourseSectionsWriter.ReplaceCoursesAsync(table, batch.BatchId, sections, summary, recorder, cancellationToken), cancellationToken));
            else
                foreach (var group in layers.GroupBy(l => l.File.DatasetName))
                {
                    var dataset = group.Select(g => g.Layer).ToList();
                    datasets.Add(await WriteDatasetAsync(batch, runId, recipe, SpatialTables.Vector(group.Key), dataset, group.Select(g => g.Source).ToList(),
                        async (table, recorder) => [await VectorTableWriter.ReplaceBatchAsync(table, batch.BatchId, dataset, summary, recorder, cancellationToken)], cancellationToken));
                }
            await resources.Instance.Partitions.AddDynamicPartitionKeysAsync(SpatialTables.BatchPartitions, [batch.BatchId], cancellationToken);
            return new VectorBatchResult(datasets, layers.Select(l => l.Source).ToList(), note);
        }
        finally
        {
            foreach (var layer in layers) layer.Layer.Dispose();
        }
    }

    private async Task<VectorDatasetResult> WriteDatasetAsync(SpatialBatch batch, string runId, VectorRecipe recipe, TableDefinition definition,
        IReadOnlyList<ProcessedLayer> layers, IReadOnlyList<DatasetSource> sources, Func<ILakeTable, DataFileRecorder, Task<IReadOnlyList<TableCommit>>> write,
        CancellationToken cancellationToken)
    {
        var name = definition.Id.Name;
        var table = await resources.Tables.CreateOrLoadAsync(definition, cancellationToken);
        var document = DatasetMetadata.Of(batch.Title ?? $"{name} ({batch.BatchId})", batch.Abstract, $"{Namespace}.{name}", layers, sources, runId, engine.Name, recipe, clock.GetUtcNow());
        var metadataKey = MetadataKeyOf(name, batch.BatchId);
        var json = document.ToJson();
        var target = $"{Namespace}/{name}/batch_id={batch.BatchId}";
        var bbox = document.GeographicBoundingBox is [var x0, var y0, var x1, var y1] ? new LedgerBoundingBox(x0, y0, x1, y1) : (LedgerBoundingBox?)null;
        var ledger = new SpatialLedger(resources.Instance.Ledger, batch);
        try
        {
            // Every object's row before its put, so the object carries the row's id. The document first: a commit is only ever
            // visible with its document beside it.
            var documentMetadata = await ledger.RecordAsync(new LedgerEntry(metadataKey, target, json.Length,
                Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(json)), runId, document.FeatureCount, clock.GetUtcNow())
                { Layer = Layers.Spatial, Format = LedgerFormats.Iso19115, Crs = "EPSG:4326", Bbox = bbox }, cancellationToken);
            using (var content = new MemoryStream(json))
                await Store.PutAsync(metadataKey, content, documentMetadata, cancellationToken);
            var commits = await write(table, async (file, ct) => await ledger.RecordAsync(new LedgerEntry(file.Key, target, file.Size,
                await FileHashing.Sha256OfFileAsync(file.LocalPath, ct), runId, file.RecordCount, clock.GetUtcNow())
                { Layer = Layers.Spatial, Format = LedgerFormats.GeoParquet, Crs = "EPSG:4326", Bbox = bbox }, ct));
            var rows = ledger.Added;
            // Data files, then the document, as the result has always listed them.
            return new VectorDatasetResult(definition.Id, commits, document, metadataKey, [.. rows.Skip(1), rows[0]]);
        }
        catch
        {
            await ledger.TakeBackAsync();
            throw;
        }
    }
}

/// <summary>What a vector batch produced: one result per dataset, the sources read, and a note for an unknown intent.</summary>
public sealed record VectorBatchResult(IReadOnlyList<VectorDatasetResult> Datasets, IReadOnlyList<DatasetSource> Sources, string? Note);

/// <summary>One dataset's table commits (one per course for sections), its metadata document and where it is, and its ledger rows (data files, then the document).</summary>
public sealed record VectorDatasetResult(TableIdentifier Table, IReadOnlyList<TableCommit> Commits, DatasetMetadata Metadata, string MetadataKey, IReadOnlyList<LedgerEntry> Ledger);
