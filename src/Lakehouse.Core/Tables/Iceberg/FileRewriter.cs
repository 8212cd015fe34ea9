namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>Copies the rows of existing data files (optionally only those a predicate keeps) into new files, batch by batch.</summary>
internal static class FileRewriter
{
    /// <summary>
    /// Streams the rows of <paramref name="files"/> through <paramref name="writer"/>, leaving out the rows that match
    /// <paramref name="drop"/> (null keeps every row). Returns the number of rows written.
    /// </summary>
    public static async Task<long> CopyAsync(
        IcebergTable table, IcebergSchema schema, IEnumerable<DataFileInfo> files, CompiledFilter? drop,
        PartitionedFileWriter writer, CancellationToken cancellationToken)
    {
        var fields = schema.Fields;
        var columnOfId = fields.Select((f, i) => (f.Id, i)).ToDictionary(t => t.Id, t => t.i);
        var all = new CompiledFilter(RowFilter.All, fields, table.Id);
        var kept = 0L;
        foreach (var file in files)
        {
            var key = MetadataFiles.KeyOf(table.Store, table.TableKey, file.Path);
            await foreach (var batch in DataFileScanner.ReadAsync(table.Store, table.Staging, key, fields, all, cancellationToken))
            {
                using (batch)
                {
                    List<int>? rows = null;
                    if (drop is not null)
                    {
                        rows = [];
                        var matches = drop.Bind(id => batch.Column(columnOfId[id]));
                        for (var row = 0; row < batch.Length; row++)
                            if (!matches(row)) rows.Add(row);
                        if (rows.Count == 0) continue;
                    }
                    await writer.WriteAsync(batch, rows, cancellationToken);
                    kept += rows?.Count ?? batch.Length;
                }
            }
        }
        return kept;
    }
}
