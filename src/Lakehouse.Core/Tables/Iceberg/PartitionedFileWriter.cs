using System.Runtime.InteropServices;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Core.Objects;
using ParquetSharp;
using ParquetSharp.Arrow;

namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>
/// Splits rows by partition value into Parquet files (one open file per partition, row groups flushed as they fill,
/// files rolled at a target size), uploads finished files to the table's data folder and returns their manifest records.
/// Partitions beyond the open-file limit are clustered on local disk (<see cref="PartitionSpill"/>) and written at the end,
/// so each partition gets one file (per target size) whatever the order of the rows.
/// </summary>
internal sealed class PartitionedFileWriter : IDisposable
{
    public const long DefaultTargetFileSize = 128L * 1024 * 1024;
    public const int DefaultRowGroupRows = 64 * 1024;
    // Rows arrive interleaved across partitions (one ingest spans weeks of event dates). Evicting open files when more
    // partitions are live than open made small files on every batch (issue 16: a shuffled 90-day export wrote 7,075 files,
    // a 360-day one 133,341); partitions past this limit are spilled instead. Memory stays bounded by BufferedRowBudget
    // and the spill buffer, not by the number of partitions. 16, not 64: each open ParquetSharp writer holds native column
    // buffers, and spilled partitions cost one Arrow IPC round trip instead (360 shuffled days, tmlake materialize:
    // 64 open → ~13–16 s, 385–420 MB; 16 open → ~10–13 s, 344–373 MB, same 362 files and rows, on a loaded 2-core box).
    // 6, not 16: two partitions run at once by default and share the process's memory (pilot, with the smaller spill buffer
    // and row budget: 428–446 → 370 MB peak RSS, same CPU-s; 4 open and a 16k budget reached 349 MB but cost ~10% more CPU).
    public const int MaxOpenFiles = 6;

    /// <summary>
    /// Rows that all open files together may hold in unflushed row groups. One ingest spreads over many event dates, so no
    /// single file may ever fill a row group; without a shared budget a whole partition's output would sit in memory.
    /// </summary>
    public const int BufferedRowBudget = 24 * 1024;

    private readonly IObjectStore _store;
    private readonly LocalStaging _staging;
    private readonly string _tableKey;
    private readonly IcebergSchema _schema;
    private readonly PartitionSpec _spec;
    private readonly long _targetFileSize;
    private readonly int _rowGroupRows;
    private readonly Schema _arrowSchema;
    private readonly int[] _partitionSources;
    private readonly TableType[] _partitionTypes;
    private readonly Dictionary<string, OpenFile> _open = new();
    private readonly PartitionSpill _spill;
    private readonly List<DataFileInfo> _written = [];
    private readonly SemaphoreSlim _recording = new(1, 1);
    private long _batchNumber;

    public PartitionedFileWriter(
        IObjectStore store, LocalStaging staging, string tableKey, IcebergSchema schema, PartitionSpec spec, long targetFileSize = DefaultTargetFileSize,
        int rowGroupRows = DefaultRowGroupRows)
    {
        _rowGroupRows = rowGroupRows;
        _store = store;
        _staging = staging;
        _tableKey = tableKey;
        _schema = schema;
        _spec = spec;
        _targetFileSize = targetFileSize;
        _arrowSchema = IcebergTypes.ArrowSchemaOf(schema.Fields,
            new Dictionary<string, string> { [IcebergTypes.IcebergSchemaKey] = MetadataJson.SchemaJson(schema) });
        _partitionSources = spec.Fields.Select(p => schema.Fields.ToList().FindIndex(f => f.Id == p.SourceId)).ToArray();
        if (_partitionSources.Any(i => i < 0)) throw new InvalidOperationException("A partition field's source column is not in the schema.");
        _partitionTypes = spec.Fields.Select(p => p.ResultType(schema.Fields)).ToArray();
        _spill = new PartitionSpill(staging, _arrowSchema);
    }

    /// <summary>A filter every written row must match, and the reason given for a row that does not.</summary>
    public (CompiledFilter Filter, string Reason)? RowGuard { get; set; }

    /// <summary>Derived columns and footer metadata added to every file (GeoParquet for a table with a geometry column); set before the first write.</summary>
    public IDataFileExtension? Extension { get; set; }

    /// <summary>Called before each file is put; the metadata it returns goes on the object.</summary>
    public DataFileRecorder? BeforePut { get; set; }

    /// <summary>Files finished so far (all of them after <see cref="FinishAsync"/>).</summary>
    public IReadOnlyList<DataFileInfo> Written => _written;

    /// <summary>Writes a whole batch.</summary>
    public Task WriteAsync(RecordBatch batch, CancellationToken cancellationToken) => WriteAsync(batch, null, cancellationToken);

    /// <summary>Writes the given rows of a batch (all rows when <paramref name="rows"/> is null).</summary>
    public Task WriteAsync(RecordBatch batch, IReadOnlyList<int>? rows, CancellationToken cancellationToken) =>
        WriteAsync(Validate(batch, rows), cancellationToken);

    /// <summary>
    /// Matches a batch's columns to the table by name (missing optional columns are null) and checks types, required values
    /// and <see cref="RowGuard"/>: everything that can be wrong with the caller's rows, so that <see cref="WriteAsync(ValidatedBatch, CancellationToken)"/>
    /// may run later, on another thread. Safe to call while a validated batch is being written.
    /// </summary>
    public ValidatedBatch Validate(RecordBatch batch, IReadOnlyList<int>? rows)
    {
        var number = Interlocked.Increment(ref _batchNumber);
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
                    throw new InvalidDataException($"Batch {number} has no column '{fields[c].Name}', which the table requires.");
                continue;
            }
            var array = batch.Column(index);
            if (!IcebergTypes.Accepts(fields[c].Type, array.Data.DataType))
                throw new InvalidDataException($"Batch {number}, column '{fields[c].Name}': an Arrow {array.Data.DataType.Name} column cannot be written to a {fields[c].Type} column.");
            columns[c] = array;
        }
        foreach (var extra in batch.Schema.FieldsList.Where(f => fields.All(t => t.Name != f.Name)))
            throw new InvalidDataException($"Batch {number} has a column '{extra.Name}' the table does not have.");

        var selected = rows ?? Enumerable.Range(0, batch.Length).ToArray();
        for (var c = 0; c < fields.Count; c++)
        {
            if (!fields[c].Required || columns[c] is not { NullCount: > 0 } array) continue;
            foreach (var row in selected)
                if (array.IsNull(row))
                    throw new InvalidDataException($"Batch {number}, row {row}, column '{fields[c].Name}': the column is required but the value is null.");
        }
        if (RowGuard is { } guard)
        {
            var matches = guard.Filter.Bind(id => columns[columnOfId[id]]);
            foreach (var row in selected)
                if (!matches(row)) throw new InvalidDataException($"Batch {number}, row {row}: {guard.Reason}.");
        }
        return new ValidatedBatch(columns, selected, batch.Length);
    }

    /// <summary>Splits a validated batch by partition and adds each part to its partition's open file.</summary>
    public async Task WriteAsync(ValidatedBatch batch, CancellationToken cancellationToken)
    {
        var fields = _schema.Fields;
        var columns = batch.Columns;
        foreach (var (partition, groupRows) in GroupByPartition(columns, batch.Rows))
        {
            var whole = groupRows.Count == batch.Length;
            var runs = whole ? [] : ColumnGather.Runs(CollectionsMarshal.AsSpan(groupRows));
            var arrays = new IArrowArray[fields.Count];
            for (var c = 0; c < fields.Count; c++)
            {
                if (columns[c] is not { } source) arrays[c] = ColumnBuilder.Nulls(fields[c].Type, groupRows.Count);
                else if (whole && IsCanonical(source, c)) arrays[c] = source;
                else arrays[c] = ColumnGather.Take(source, _arrowSchema.GetFieldByIndex(c).DataType, fields[c].Type, groupRows, runs, IsCanonical(source, c));
            }
            // Gathered columns are ours: free their native memory once Parquet (or a spill run) has copied them rather than by
            // finalizer (the profile showed Arrow's SharedMemoryHandle finalizers busy for seconds and RSS waiting on them).
            // The caller's own arrays are the caller's.
            var owned = arrays.Where((a, c) => !ReferenceEquals(a, columns[c])).ToList();
            await WriteGroupAsync(PartitionPath(partition), partition, new RecordBatch(_arrowSchema, arrays, groupRows.Count), owned, cancellationToken);
        }
    }

    /// <summary>The selected rows grouped by partition tuple, each group in row order.</summary>
    private Dictionary<object?[], List<int>> GroupByPartition(IArrowArray?[] columns, IReadOnlyList<int> selected)
    {
        var groups = new Dictionary<object?[], List<int>>(PartitionComparer.Instance);
        List<int>? current = null;
        var previous = -1;
        foreach (var row in selected)
        {
            // Neighbouring rows mostly share a partition (a round's fixes share an event date), so compare their source cells
            // in place and build the boxed partition tuple only where the value changes.
            if (current is null || !SamePartitionSources(columns, row, previous))
            {
                var partition = PartitionOf(columns, row);
                if (!groups.TryGetValue(partition, out current)) groups[partition] = current = [];
            }
            current.Add(row);
            previous = row;
        }
        return groups;
    }

    private bool SamePartitionSources(IArrowArray?[] columns, int row, int other)
    {
        foreach (var source in _partitionSources)
            if (columns[source] is { } column && !CellEquality.Same(column, row, other)) return false;
        return true;
    }

    private object?[] PartitionOf(IArrowArray?[] columns, int row)
    {
        var partition = new object?[_spec.Fields.Count];
        for (var p = 0; p < partition.Length; p++)
        {
            var source = _partitionSources[p];
            var value = columns[source] is { } a ? IcebergValues.Read(a, row, _schema.Fields[source].Type) : null;
            partition[p] = _spec.Fields[p].Transform == PartitionTransform.Day && value is long micros ? IcebergValues.DayOfMicros(micros) : value;
        }
        return partition;
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

    /// <summary>Appends to the partition's open file, then frees <paramref name="owned"/>; or spills the batch, which frees them once on disk.</summary>
    private async Task WriteGroupAsync(string key, object?[] partition, RecordBatch batch, List<IArrowArray> owned, CancellationToken cancellationToken)
    {
        if (_open.ContainsKey(key) || (_open.Count < MaxOpenFiles && !_spill.Holds(key)))
        {
            await AppendAsync(key, partition, batch, cancellationToken);
            foreach (var array in owned) array.Dispose();
            return;
        }
        _spill.Add(key, partition, batch, owned);
    }

    private async Task AppendAsync(string key, object?[] partition, RecordBatch batch, CancellationToken cancellationToken)
    {
        if (!_open.TryGetValue(key, out var file))
        {
            file = NewFile(key, partition, encodeInParallel: true);
            _open[key] = file;
        }
        file.Writer.WriteBufferedRecordBatch(file.Extender?.Extend(batch, file.Schema) ?? batch);
        file.Rows += batch.Length;
        // Arrow starts a new row group each time the buffered one reaches the row-group length.
        file.BufferedRows = (file.BufferedRows + batch.Length) % _rowGroupRows;
        FlushLargestBuffersOverBudget();
        if (new FileInfo(file.TempPath).Length >= _targetFileSize)
        {
            _open.Remove(key);
            _written.Add(await FinishFileAsync(file, cancellationToken));
        }
    }

    /// <summary>
    /// A new open file; <paramref name="encodeInParallel"/> lets Arrow encode a batch's columns on its CPU pool, which pays while
    /// one partition is parsed and written, not for spilled partitions, already written one per core.
    /// </summary>
    private OpenFile NewFile(string key, object?[] partition, bool encodeInParallel, int? rowGroupRows = null) =>
        new(_staging.NewPath("iceberg", ".parquet"), key, partition, Extension?.FileSchema(_arrowSchema) ?? _arrowSchema, rowGroupRows ?? _rowGroupRows, encodeInParallel)
            { Extender = Extension?.NewFile() };

    public async Task<IReadOnlyList<DataFileInfo>> FinishAsync(CancellationToken cancellationToken)
    {
        await CloseOpenFilesAsync(cancellationToken);
        // Then the spilled partitions, each written whole (one file per target size), one per core at a time: each is a
        // short sequence of Parquet writer setup, a row group or two, close, footer and metrics, and one at a time left the
        // other core idle for the whole tail of the step (hundreds of partitions on a many-day export).
        var keys = _spill.Keys.ToList();
        var results = keys.Select(_ => new List<DataFileInfo>()).ToArray();
        var next = -1;
        var workers = Math.Clamp(Environment.ProcessorCount, 1, MaxSpillWriters);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, Math.Min(workers, keys.Count)).Select(_ => Task.Run(async () =>
            {
                using var readers = new PartitionSpill.Readers();
                int at;
                while ((at = Interlocked.Increment(ref next)) < keys.Count)
                {
                    await SpillWriterSlots.WaitAsync(cancellationToken);
                    try
                    {
                        await WriteSpilledAsync(keys[at], readers, results[at], cancellationToken);
                    }
                    finally
                    {
                        SpillWriterSlots.Release();
                    }
                }
            }, cancellationToken)));
        }
        finally
        {
            // In key order, as one writer at a time added them, so the manifest lists files in a stable order; on failure the
            // files already uploaded are listed too, for the caller to delete.
            foreach (var files in results) _written.AddRange(files);
        }
        _spill.Dispose();
        return _written;
    }

    /// <summary>Spilled partitions written at the same time at the end (each holds at most a row group in memory).</summary>
    public const int MaxSpillWriters = 2;

    /// <summary>
    /// The spill writers of every writer in the process: two steps finishing at once had four, on two cores, each with a row
    /// group and its read-back batches in memory, for no more throughput (the cores were already busy).
    /// </summary>
    private static readonly SemaphoreSlim SpillWriterSlots = new(Math.Clamp(Environment.ProcessorCount, 1, MaxSpillWriters));

    /// <summary>
    /// Rows a spilled partition is read back in per Parquet write, and the row groups of its file: enough that the writer's
    /// per-call cost is small (runs of a few hundred rows were not), few enough that the two writers' batches, the pieces they
    /// are joined from and the row group each buffers stay small. A 1 GB single-partition export, whole process: 64k-row
    /// reads and groups 413-421 MB peak RSS; 16k reads 380 MB; 16k groups too 355 MB (32k: 361 MB), the time the same.
    /// </summary>
    public const int SpillReadRows = 16 * 1024;

    private async Task WriteSpilledAsync(string key, PartitionSpill.Readers readers, List<DataFileInfo> written, CancellationToken cancellationToken)
    {
        var partition = _spill.PartitionOf(key);
        var rows = Math.Min(_rowGroupRows, SpillReadRows);
        OpenFile? file = null;
        try
        {
            await foreach (var batch in _spill.ReadAsync(key, rows, readers, cancellationToken))
            {
                file ??= NewFile(key, partition, encodeInParallel: false, rows);
                file.Writer.WriteBufferedRecordBatch(file.Extender?.Extend(batch, file.Schema) ?? batch);
                file.Rows += batch.Length;
                if (new FileInfo(file.TempPath).Length < _targetFileSize) continue;
                var full = file;
                file = null;
                written.Add(await FinishFileAsync(full, cancellationToken));
            }
            if (file is not null)
            {
                var last = file;
                file = null;
                written.Add(await FinishFileAsync(last, cancellationToken));
            }
        }
        finally
        {
            if (file is not null)
            {
                file.Writer.Dispose();
                File.Delete(file.TempPath);
            }
        }
    }

    /// <summary>Spill runs written (0 unless more partitions were live than <see cref="MaxOpenFiles"/>).</summary>
    public int SpillRuns => _spill.Runs;

    private async Task CloseOpenFilesAsync(CancellationToken cancellationToken)
    {
        foreach (var file in _open.Values.ToList())
        {
            _open.Remove(file.Key);
            _written.Add(await FinishFileAsync(file, cancellationToken));
        }
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

    /// <summary>Closes, uploads and deletes a finished file; may run for two files at once (<see cref="MaxSpillWriters"/>).</summary>
    private async Task<DataFileInfo> FinishFileAsync(OpenFile file, CancellationToken cancellationToken)
    {
        try
        {
            file.Writer.Close();
            file.Writer.Dispose();
            if (file.Extender is { } extender) ParquetFooter.AppendKeyValueMetadata(file.TempPath, extender.FooterMetadata());
            // An unpartitioned table has an empty partition path: its files sit directly under data/ (no empty segment).
            var folder = file.Key.Length == 0 ? $"{_tableKey}/data" : $"{_tableKey}/data/{file.Key}";
            var objectKey = $"{folder}/{Guid.NewGuid():N}.parquet";
            var info = ParquetMetrics.Read(file.TempPath, _store.LocationOf(objectKey), file.Partition, _schema.Fields);
            IReadOnlyDictionary<string, string>? metadata = null;
            if (BeforePut is { } recorder)
            {
                // The recorder is the caller's (a ledger): it sees one file at a time.
                await _recording.WaitAsync(cancellationToken);
                try
                {
                    metadata = await recorder(new DataFileToStore(objectKey, file.TempPath, new FileInfo(file.TempPath).Length, info.RecordCount), cancellationToken);
                }
                finally
                {
                    _recording.Release();
                }
            }
            await _store.MoveFileAsync(objectKey, file.TempPath, metadata, cancellationToken);
            return info;
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
        _spill.Dispose();
    }

    private sealed class OpenFile
    {
        public OpenFile(string tempPath, string key, object?[] partition, Schema schema, int rowGroupRows, bool encodeInParallel)
        {
            Key = key;
            Partition = partition;
            TempPath = tempPath;
            Schema = schema;
            using var builder = new WriterPropertiesBuilder();
            builder
                .Compression(Compression.Snappy)
                .MaxRowGroupLength(rowGroupRows)
                .MemoryPool(ParquetMemory.Pool);
            // Measurements, coordinates, timestamps and blobs rarely repeat inside a row group: hashing each of them into a
            // dictionary that Parquet then abandons cost a third of the Silver writer's encoding time, for no smaller file.
            foreach (var field in schema.FieldsList.Where(f => f.DataType.TypeId is ArrowTypeId.Double or ArrowTypeId.Timestamp or ArrowTypeId.Binary))
                builder.DisableDictionary(field.Name);
            foreach (var field in schema.FieldsList.Where(f => f.DataType is StructType))
                foreach (var child in ((StructType)field.DataType).Fields.Where(c => c.DataType.TypeId is ArrowTypeId.Double))
                    builder.DisableDictionary($"{field.Name}.{child.Name}");
            using var properties = builder.Build();
            // Arrow copies the schema's key-value metadata (our iceberg.schema) into the file only when it stores the schema.
            using var arrowBuilder = new ArrowWriterPropertiesBuilder();
            // UseThreads: Arrow encodes the columns of a row group in parallel on its CPU pool (one thread per core), so one
            // partition's Parquet encoding uses both cores while the caller parses the next batch. For the small spilled
            // partitions written at the end, waking the pool for every batch cost more than it gave (360 shuffled days: the
            // spill writers' write calls 4.2 -> 2.7 thread-s with it off).
            using var arrowProperties = arrowBuilder.StoreSchema().UseThreads(encodeInParallel).Build();
            Writer = new FileWriter(TempPath, schema, properties, arrowProperties);
        }

        public string Key { get; }
        public object?[] Partition { get; }
        public string TempPath { get; }
        /// <summary>The file's Arrow schema, kept here rather than asked of the native writer for every batch.</summary>
        public Schema Schema { get; }
        public FileWriter Writer { get; }
        public IDataFileExtender? Extender { get; init; }
        public long Rows { get; set; }
        /// <summary>Rows in the row group Arrow is still buffering (not yet written to the file).</summary>
        public int BufferedRows { get; set; }
    }
}
