using Apache.Arrow;

namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>
/// What a table adds to each of its data files beyond its own columns: derived columns written after them and footer
/// metadata that depends on the rows (GeoParquet's covering bbox column and <c>geo</c> key). Readers that map columns by
/// field id never see the derived columns, which carry none.
/// </summary>
internal interface IDataFileExtension
{
    /// <summary>The Arrow schema of the files, given the table's own (its columns come first, unchanged).</summary>
    Schema FileSchema(Schema tableSchema);

    /// <summary>Starts one data file: the returned state sees every batch written to that file.</summary>
    IDataFileExtender NewFile();
}

/// <summary>The per-file side of an <see cref="IDataFileExtension"/>.</summary>
internal interface IDataFileExtender
{
    /// <summary>The batch (of the table's schema) with the derived columns appended, in the file's schema.</summary>
    RecordBatch Extend(RecordBatch batch, Schema fileSchema);

    /// <summary>Key-value metadata for the footer of the finished file.</summary>
    IReadOnlyDictionary<string, string> FooterMetadata();
}
