using Apache.Arrow;
using Lakehouse.Core.Tables;
using TmLakehouse.Assets.Spatial.Recipes;

namespace TmLakehouse.Assets.Spatial.Output;

/// <summary>
/// Writes processed layers (row by row from their sorted runs, 8,192 rows an Arrow batch) to <see cref="SpatialTables.Vector"/>: the batch's partition is replaced in one snapshot, so
/// re-running a batch gives the same table and a failure before the commit leaves it untouched.
/// </summary>
public static class VectorTableWriter
{
    private const int BatchRows = 8192;

    /// <summary>The replace; a recorder, when given, runs before each data file is put (its ledger row first).</summary>
    public static async Task<TableCommit> ReplaceBatchAsync(ILakeTable table, string batchId, IReadOnlyList<ProcessedLayer> layers, IReadOnlyDictionary<string, string> summary,
        DataFileRecorder? recorder, CancellationToken cancellationToken)
    {
        foreach (var layer in layers)
            if (!layer.Crs.IsWgs84LonLat) throw new InvalidOperationException($"{layer.SourceFile} is in {layer.Crs.Name}; spatial tables hold lon/lat only (run normalize_crs first).");
        await using var writer = table.NewReplace(RowFilter.Where(("batch_id", batchId)));
        if (recorder is not null) writer.BeforeEachFile = recorder;
        foreach (var layer in layers)
        {
            foreach (var chunk in layer.Rows().Chunk(BatchRows))
            {
                var batch = new StringArray.Builder();
                var file = new StringArray.Builder();
                var index = new Int64Array.Builder();
                var properties = new StringArray.Builder();
                var geometry = new BinaryArray.Builder();
                foreach (var row in chunk)
                {
                    batch.Append(batchId);
                    file.Append(layer.SourceFile);
                    index.Append(row.Index);
                    properties.Append(row.Properties);
                    geometry.Append(row.Wkb.AsSpan());
                }
                await writer.WriteAsync(new RecordBatch(table.ArrowSchema,
                    [batch.Build(), file.Build(), index.Build(), properties.Build(), geometry.Build()], chunk.Length), cancellationToken);
            }
        }
        return await writer.CommitAsync(summary, cancellationToken);
    }
}
