namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>Copies the rows of existing data files (optionally only those a predicate keeps) into new files.</summary>
internal static class FileRewriter
{
    private const int ChunkRows = 64 * 1024;

    /// <summary>Streams the rows of <paramref name="files"/> through <paramref name="writer"/>, keeping rows for which <paramref name="keep"/> is true.</summary>
    public static async Task<long> CopyAsync(
        IcebergTable table, IcebergSchema schema, IEnumerable<DataFileInfo> files, Func<object?[], bool> keep,
        PartitionedFileWriter writer, CancellationToken cancellationToken)
    {
        var fields = schema.Fields;
        var all = new CompiledFilter(RowFilter.All, fields, table.Id);
        var kept = 0L;
        var chunk = new List<object?[]>();
        foreach (var file in files)
        {
            var key = MetadataFiles.KeyOf(table.Store, table.TableKey, file.Path);
            await foreach (var batch in DataFileScanner.ReadAsync(table.Store, key, fields, all, cancellationToken))
            {
                using (batch)
                {
                    for (var row = 0; row < batch.Length; row++)
                    {
                        var values = new object?[fields.Count];
                        for (var c = 0; c < fields.Count; c++) values[c] = IcebergValues.Read(batch.Column(c), row, fields[c].Type);
                        if (!keep(values)) continue;
                        chunk.Add(values);
                        kept++;
                    }
                }
                if (chunk.Count >= ChunkRows)
                {
                    await writer.WriteRowsAsync(chunk, cancellationToken);
                    chunk.Clear();
                }
            }
        }
        if (chunk.Count > 0) await writer.WriteRowsAsync(chunk, cancellationToken);
        return kept;
    }
}
