using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Core.Objects;
using ParquetSharp.Arrow;

namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>
/// Reads one data file as batches of the requested table columns: columns matched by field id (columns a file predates
/// read as null), rows not matching the filter dropped. Reads row group by row group, never the whole file.
/// </summary>
internal static class DataFileScanner
{
    public static async IAsyncEnumerable<RecordBatch> ReadAsync(
        IObjectStore store, LocalStaging staging, string key, IReadOnlyList<TableField> output, CompiledFilter filter,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? tempPath = null;
        var stream = await store.OpenReadAsync(key, cancellationToken);
        try
        {
            if (!stream.CanSeek)
            {
                // Remote objects arrive as forward-only streams; Parquet needs random access to the footer.
                tempPath = staging.NewPath("iceberg-read", ".parquet");
                await using (var file = File.Create(tempPath)) await stream.CopyToAsync(file, cancellationToken);
                await stream.DisposeAsync();
                stream = File.OpenRead(tempPath);
            }
            using var reader = Open(stream, store.LocationOf(key));
            var byId = new Dictionary<int, int>();
            var fileFields = reader.Schema.FieldsList;
            for (var i = 0; i < fileFields.Count; i++)
                if (fileFields[i].Metadata is { } meta && meta.TryGetValue(IcebergTypes.FieldIdKey, out var id))
                    byId[int.Parse(id, CultureInfo.InvariantCulture)] = i;
            var needed = output.Select(f => f.Id).Concat(filter.Fields.Select(f => f.Id)).Distinct()
                .Where(byId.ContainsKey).ToList();
            var columnIndexes = needed.Select(id => byId[id]).ToArray();
            var outputSchema = IcebergTypes.ArrowSchemaOf(output);
            using var batches = reader.GetRecordBatchReader(columns: columnIndexes);
            while (await batches.ReadNextRecordBatchAsync(cancellationToken) is { } batch)
            {
                using (batch)
                {
                    var arrays = new Dictionary<int, IArrowArray>();
                    for (var n = 0; n < needed.Count; n++) arrays[needed[n]] = batch.Column(n);
                    var result = Project(batch.Length, arrays, output, outputSchema, filter);
                    if (result is not null) yield return result;
                }
            }
        }
        finally
        {
            await stream.DisposeAsync();
            if (tempPath is not null) File.Delete(tempPath);
        }
    }

    private static FileReader Open(Stream stream, string location)
    {
        try
        {
            // Arrow may read a file from several I/O threads at once (pre-buffering). A managed stream seeks and reads
            // in two calls, so concurrent reads can interleave and hand the native decoders wrong bytes (seen as access
            // violations under load). Local files are opened by path (native positional reads); other streams are read
            // one request at a time.
            using var readerProperties = ParquetSharp.ReaderProperties.GetDefaultReaderProperties();
            using var arrowProperties = ArrowReaderProperties.GetDefault();
            arrowProperties.PreBuffer = false;
            arrowProperties.UseThreads = false;
            return stream is FileStream file
                ? new FileReader(file.Name, readerProperties, arrowProperties)
                : new FileReader(stream, readerProperties, arrowProperties, leaveOpen: true);
        }
        catch (ParquetSharp.ParquetException e)
        {
            throw new InvalidDataException($"Data file {location} is not a readable Parquet file: {e.Message}", e);
        }
    }

    private static RecordBatch? Project(int length, Dictionary<int, IArrowArray> arrays, IReadOnlyList<TableField> output, Schema schema, CompiledFilter filter)
    {
        var keep = new List<int>(length);
        if (filter.IsAll) keep.AddRange(Enumerable.Range(0, length));
        else
        {
            var matches = filter.Bind(id => arrays.GetValueOrDefault(id));
            for (var row = 0; row < length; row++)
                if (matches(row)) keep.Add(row);
        }
        if (keep.Count == 0) return null;
        var runs = keep.Count == length ? [] : ColumnGather.Runs(CollectionsMarshal.AsSpan(keep));
        var columns = new IArrowArray[output.Count];
        for (var c = 0; c < output.Count; c++)
        {
            var field = output[c];
            var type = schema.GetFieldByIndex(c).DataType;
            if (!arrays.TryGetValue(field.Id, out var array))
                columns[c] = ColumnBuilder.Nulls(field.Type, keep.Count);
            else if (keep.Count == length && SameLayout(array, type, field))
            {
                // Copy the buffers: the reader's batch (and its native memory) is released after this call.
                var d = array.Data;
                columns[c] = ArrowArrayFactory.BuildArray(new ArrayData(type, d.Length, d.NullCount, d.Offset,
                    d.Buffers.Select(b => new ArrowBuffer(b.Span.ToArray())).ToArray()));
            }
            else columns[c] = ColumnGather.Take(array, type, field.Type, keep, runs, SameLayout(array, type, field));
        }
        return new RecordBatch(schema, columns, keep.Count);
    }

    /// <summary>Whether a file's column has the physical layout of the output column (then its buffers can be copied as they are).</summary>
    private static bool SameLayout(IArrowArray array, IArrowType output, TableField field) =>
        array.Data.DataType.TypeId == output.TypeId
        && (field.Type != TableType.TimestampTz || array.Data.DataType.Equals(output) || IsMicrosUtc(array));

    private static bool IsMicrosUtc(IArrowArray array) =>
        array.Data.DataType is TimestampType { Unit: TimeUnit.Microsecond } t
        && t.Timezone is "UTC" or "+00:00";
}
