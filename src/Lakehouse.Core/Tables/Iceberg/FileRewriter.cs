namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>Copies the rows of existing data files (optionally only those a predicate keeps) into new files, batch by batch.</summary>
internal static class FileRewriter
{
    /// <summary>
    /// Streams the rows of <paramref name="files"/> through <paramref name="writer"/>; <paramref name="keep"/> sees a row's
    /// values by field id (null keeps every row). Returns the number of rows written.
    /// </summary>
    public static async Task<long> CopyAsync(
        IcebergTable table, IcebergSchema schema, IEnumerable<DataFileInfo> files, Func<Func<int, object?>, bool>? keep,
        PartitionedFileWriter writer, CancellationToken cancellationToken)
    {
        var fields = schema.Fields;
        var columnOfId = fields.Select((f, i) => (f.Id, i)).ToDictionary(t => t.Id, t => t.i);
        var all = new CompiledFilter(RowFilter.All, fields, table.Id);
        var kept = 0L;
        foreach (var file in files)
        {
            var key = MetadataFiles.KeyOf(table.Store, table.TableKey, file.Path);
            await foreach (var batch in DataFileScanner.ReadAsync(table.Store, key, fields, all, cancellationToken))
            {
                using (batch)
                {
                    List<int>? rows = null;
                    if (keep is not null)
                    {
                        rows = [];
                        for (var row = 0; row < batch.Length; row++)
                        {
                            var r = row;
                            if (keep(id => IcebergValues.Read(batch.Column(columnOfId[id]), r, fields[columnOfId[id]].Type))) rows.Add(row);
                        }
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
