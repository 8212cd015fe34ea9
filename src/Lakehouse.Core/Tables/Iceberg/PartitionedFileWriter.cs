using System.Text;
using Apache.Arrow;
using Lakehouse.Core.Objects;
using ParquetSharp;
using ParquetSharp.Arrow;

namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>
/// Splits rows by partition value into Parquet files (one open file per partition, row groups flushed as they fill,
/// files rolled at a target size), uploads finished files to the table's data folder and returns their manifest records.
/// </summary>
internal sealed class PartitionedFileWriter : IDisposable
{
    public const long DefaultTargetFileSize = 128L * 1024 * 1024;
    public const int DefaultRowGroupRows = 64 * 1024;
    // Each open file buffers up to one row group of encoded pages; this bounds memory across partitions.
    private const int MaxOpenFiles = 16;

    /// <summary>
    /// Rows that all open files together may hold in unflushed row groups. One ingest spreads over many event dates, so no
    /// single file may ever fill a row group; without a shared budget a whole partition's output would sit in memory.
    /// </summary>
    public const int BufferedRowBudget = 64 * 1024;

    private readonly IObjectStore _store;
    private readonly string _tableKey;
    private readonly IcebergSchema _schema;
    private readonly PartitionSpec _spec;
    private readonly long _targetFileSize;
    private readonly int _rowGroupRows;
    private readonly Schema _arrowSchema;
    private readonly int[] _partitionSources;
    private readonly TableType[] _partitionTypes;
    private readonly Dictionary<string, OpenFile> _open = new();
    private readonly List<DataFileInfo> _written = [];
    private long _batchNumber;
    private long _openCounter;

    public PartitionedFileWriter(
        IObjectStore store, string tableKey, IcebergSchema schema, PartitionSpec spec, long targetFileSize = DefaultTargetFileSize, int rowGroupRows = DefaultRowGroupRows)
    {
        _rowGroupRows = rowGroupRows;
        _store = store;
        _tableKey = tableKey;
        _schema = schema;
        _spec = spec;
        _targetFileSize = targetFileSize;
        _arrowSchema = IcebergTypes.ArrowSchemaOf(schema.Fields,
            new Dictionary<string, string> { [IcebergTypes.IcebergSchemaKey] = MetadataJson.SchemaJson(schema) });
        _partitionSources = spec.Fields.Select(p => schema.Fields.ToList().FindIndex(f => f.Id == p.SourceId)).ToArray();
        if (_partitionSources.Any(i => i < 0)) throw new InvalidOperationException("A partition field's source column is not in the schema.");
        _partitionTypes = spec.Fields.Select(p => p.ResultType(schema.Fields)).ToArray();
    }

    /// <summary>Checks each written row; a non-null answer is the reason the row is rejected.</summary>
    public Func<Func<int, object?>, string?>? RowGuard { get; set; }

    /// <summary>Files finished so far (all of them after <see cref="FinishAsync"/>).</summary>
    public IReadOnlyList<DataFileInfo> Written => _written;

    /// <summary>Writes a batch whose columns are matched to the table by name (missing optional columns are null).</summary>
    public Task WriteAsync(RecordBatch batch, CancellationToken cancellationToken) => WriteAsync(batch, null, cancellationToken);

    /// <summary>Writes the given rows of a batch (all rows when <paramref name="rows"/> is null).</summary>
    public async Task WriteAsync(RecordBatch batch, IReadOnlyList<int>? rows, CancellationToken cancellationToken)
    {
        _batchNumber++;
        var fields = _schema.Fields;
        var columns = new IArrowArray?[fields.Count];
        var columnOfId = new Dictionary<int, int>();
        for (var c = 0; c < fields.Count; c++)
        {
            columnOfId[fields[c].Id] = c;
            var index = batch.Schema.GetFieldIndex(fields[c].Name);
            if (index < 0)
            {
                if (fields[c].Required)
                    throw new InvalidDataException($"Batch {_batchNumber} has no column '{fields[c].Name}', which the table requires.");
                continue;
            }
            var array = batch.Column(index);
            if (!IcebergTypes.Accepts(fields[c].Type, array.Data.DataType))
                throw new InvalidDataException($"Batch {_batchNumber}, column '{fields[c].Name}': an Arrow {array.Data.DataType.Name} column cannot be written to a {fields[c].Type} column.");
            columns[c] = array;
        }
        foreach (var extra in batch.Schema.FieldsList.Where(f => fields.All(t => t.Name != f.Name)))
            throw new InvalidDataException($"Batch {_batchNumber} has a column '{extra.Name}' the table does not have.");

        var selected = rows ?? Enumerable.Range(0, batch.Length).ToArray();
        for (var c = 0; c < fields.Count; c++)
        {
            if (!fields[c].Required || columns[c] is not { NullCount: > 0 } array) continue;
            foreach (var row in selected)
                if (array.IsNull(row))
                    throw new InvalidDataException($"Batch {_batchNumber}, row {row}, column '{fields[c].Name}': the column is required but the value is null.");
        }
        if (RowGuard is not null)
        {
            foreach (var row in selected)
            {
                var r = row;
                if (RowGuard(id => columns[columnOfId[id]] is { } a ? IcebergValues.Read(a, r, fields[columnOfId[id]].Type) : null) is { } reason)
                    throw new InvalidDataException($"Batch {_batchNumber}, row {row}: {reason}.");
            }
        }

        var groups = new Dictionary<object?[], List<int>>(PartitionComparer.Instance);
        foreach (var row in selected)
        {
            var partition = new object?[_spec.Fields.Count];
            for (var p = 0; p < partition.Length; p++)
            {
                var source = _partitionSources[p];
                var value = columns[source] is { } a ? IcebergValues.Read(a, row, fields[source].Type) : null;
                partition[p] = _spec.Fields[p].Transform == PartitionTransform.Day && value is long micros ? IcebergValues.DayOfMicros(micros) : value;
            }
            if (!groups.TryGetValue(partition, out var list)) groups[partition] = list = [];
            list.Add(row);
        }
        foreach (var (partition, groupRows) in groups)
        {
            var whole = groupRows.Count == batch.Length;
            var arrays = new IArrowArray[fields.Count];
            for (var c = 0; c < fields.Count; c++)
            {
                if (columns[c] is not { } source) arrays[c] = ColumnBuilder.Nulls(fields[c].Type, groupRows.Count);
                else if (whole && IsCanonical(source, c)) arrays[c] = source;
                else
                {
                    var builder = ColumnBuilder.For(fields[c].Type);
                    foreach (var row in groupRows) builder.AppendFrom(source, row, fields[c].Type);
                    arrays[c] = builder.Build();
                }
            }
            await WriteGroupAsync(PartitionPath(partition), partition, new RecordBatch(_arrowSchema, arrays, groupRows.Count), cancellationToken);
        }
    }

    /// <summary>Whether an incoming array already has the exact Arrow type the file column has (then it is written as is).</summary>
    private bool IsCanonical(IArrowArray array, int column)
    {
        var wanted = _arrowSchema.GetFieldByIndex(column).DataType;
        var actual = array.Data.DataType;
        if (actual.TypeId != wanted.TypeId) return false;
        return actual is not Apache.Arrow.Types.TimestampType t
               || t is { Unit: Apache.Arrow.Types.TimeUnit.Microsecond, Timezone: "UTC" };
    }

    private string PartitionPath(object?[] partition)
    {
        var path = new StringBuilder();
        for (var p = 0; p < partition.Length; p++)
        {
            if (p > 0) path.Append('/');
            path.Append(_spec.Fields[p].Name).Append('=');
            // Readers take partition values from manifests; the folder name only needs to be a safe key.
            foreach (var ch in IcebergValues.ToText(_partitionTypes[p], partition[p]))
                path.Append(char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '_');
        }
        return path.ToString();
    }

    private async Task WriteGroupAsync(string key, object?[] partition, RecordBatch batch, CancellationToken cancellationToken)
    {
        if (!_open.TryGetValue(key, out var file))
        {
            if (_open.Count >= MaxOpenFiles)
            {
                var (oldestKey, oldest) = _open.MinBy(kv => kv.Value.Opened);
                _open.Remove(oldestKey);
                await FinishFileAsync(oldest, cancellationToken);
            }
            file = new OpenFile(key, partition, _arrowSchema, ++_openCounter, _rowGroupRows);
            _open[key] = file;
        }
        file.Writer.WriteBufferedRecordBatch(batch);
        file.Rows += batch.Length;
        // Arrow starts a new row group each time the buffered one reaches the row-group length.
        file.BufferedRows = (file.BufferedRows + batch.Length) % _rowGroupRows;
        FlushLargestBuffersOverBudget();
        if (new FileInfo(file.TempPath).Length >= _targetFileSize)
        {
            _open.Remove(key);
            await FinishFileAsync(file, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<DataFileInfo>> FinishAsync(CancellationToken cancellationToken)
    {
        foreach (var file in _open.Values.ToList())
        {
            _open.Remove(file.Key);
            await FinishFileAsync(file, cancellationToken);
        }
        return _written;
    }

    private void FlushLargestBuffersOverBudget()
    {
        while (_open.Values.Sum(f => (long)f.BufferedRows) > BufferedRowBudget)
        {
            var largest = _open.Values.MaxBy(f => f.BufferedRows)!;
            largest.Writer.NewBufferedRowGroup();
            largest.BufferedRows = 0;
        }
    }

    private async Task FinishFileAsync(OpenFile file, CancellationToken cancellationToken)
    {
        try
        {
            file.Writer.Close();
            file.Writer.Dispose();
            var objectKey = $"{_tableKey}/data/{file.Key}/{Guid.NewGuid():N}.parquet";
            var info = ParquetMetrics.Read(file.TempPath, _store.LocationOf(objectKey), file.Partition, _schema.Fields);
            await _store.PutFileAsync(objectKey, file.TempPath, null, cancellationToken);
            _written.Add(info);
        }
        finally
        {
            File.Delete(file.TempPath);
        }
    }

    public void Dispose()
    {
        foreach (var file in _open.Values)
        {
            file.Writer.Dispose();
            File.Delete(file.TempPath);
        }
        _open.Clear();
    }

    private sealed class OpenFile
    {
        public OpenFile(string key, object?[] partition, Schema schema, long opened, int rowGroupRows)
        {
            Key = key;
            Partition = partition;
            Opened = opened;
            TempPath = Path.Combine(Path.GetTempPath(), $"tm-iceberg-{Guid.NewGuid():N}.parquet");
            using var properties = new WriterPropertiesBuilder()
                .Compression(Compression.Snappy)
                .MaxRowGroupLength(rowGroupRows)
                .Build();
            // Arrow copies the schema's key-value metadata (our iceberg.schema) into the file only when it stores the schema.
            using var arrowProperties = new ArrowWriterPropertiesBuilder().StoreSchema().Build();
            Writer = new FileWriter(TempPath, schema, properties, arrowProperties);
        }

        public string Key { get; }
        public object?[] Partition { get; }
        public long Opened { get; }
        public string TempPath { get; }
        public FileWriter Writer { get; }
        public long Rows { get; set; }
        /// <summary>Rows in the row group Arrow is still buffering (not yet written to the file).</summary>
        public int BufferedRows { get; set; }
    }
}
