using System.Runtime.CompilerServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Core.Tables;

namespace TmLakehouse.Assets.Tests.Fakes;

/// <summary>
/// Tables kept in memory as Arrow record batches (each written batch is one "data file"), with snapshots, replace-by-filter,
/// projection and row filters. Written batches are checked against the table's Arrow schema, so a wrong type or a null in a
/// required column fails the write as a real table would.
/// </summary>
internal sealed class InMemoryTableCatalog : ITableCatalog
{
    private readonly Dictionary<TableIdentifier, InMemoryLakeTable> _tables = [];

    public Task<ILakeTable> CreateOrLoadAsync(TableDefinition definition, CancellationToken cancellationToken)
    {
        lock (_tables)
        {
            if (!_tables.TryGetValue(definition.Id, out var table))
                _tables[definition.Id] = table = new InMemoryLakeTable(definition);
            return Task.FromResult<ILakeTable>(table);
        }
    }

    public Task<ILakeTable?> LoadAsync(TableIdentifier id, CancellationToken cancellationToken)
    {
        lock (_tables) return Task.FromResult<ILakeTable?>(_tables.GetValueOrDefault(id));
    }

    public Task<IReadOnlyList<TableIdentifier>> ListTablesAsync(string? ns, CancellationToken cancellationToken)
    {
        lock (_tables)
            return Task.FromResult<IReadOnlyList<TableIdentifier>>(_tables.Keys.Where(k => ns is null || k.Namespace == ns).ToList());
    }

    /// <summary>The Arrow type of each table type: timestamptz as microseconds in UTC, date as days.</summary>
    public static IArrowType ArrowTypeOf(TableType type) => type switch
    {
        TableType.Boolean => BooleanType.Default,
        TableType.Int => Int32Type.Default,
        TableType.Long => Int64Type.Default,
        TableType.Double => DoubleType.Default,
        TableType.String => StringType.Default,
        TableType.Date => Date32Type.Default,
        TableType.TimestampTz => new TimestampType(TimeUnit.Microsecond, "UTC"),
        TableType.Binary => BinaryType.Default,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static Schema ArrowSchemaOf(TableSchema schema) =>
        new(schema.Fields.Select(f => new Field(f.Name, ArrowTypeOf(f.Type), !f.Required)), null);

    /// <summary>Every row of a scan as column name → CLR value (string, int, long, double, bool, DateOnly, DateTimeOffset, byte[]).</summary>
    public static async Task<List<Dictionary<string, object?>>> ReadRowsAsync(ILakeTable table, TableScan scan)
    {
        var rows = new List<Dictionary<string, object?>>();
        await foreach (var batch in table.ScanAsync(scan, CancellationToken.None))
            for (var r = 0; r < batch.Length; r++)
                rows.Add(batch.Schema.FieldsList.Select((f, c) => (f.Name, Value: ArrowValues.ValueAt(batch.Column(c), r)))
                    .ToDictionary(x => x.Name, x => x.Value));
        return rows;
    }
}

/// <summary>One in-memory table: a list of data files per snapshot.</summary>
internal sealed class InMemoryLakeTable(TableDefinition definition) : ILakeTable
{
    private readonly object _gate = new();
    private readonly List<TableSnapshot> _history = [];
    private readonly Dictionary<long, List<(string Path, RecordBatch Batch)>> _filesBySnapshot = [];
    private long _fileCounter;

    public TableIdentifier Id => definition.Id;
    public TableSchema Schema => definition.Schema;
    public Schema ArrowSchema { get; } = InMemoryTableCatalog.ArrowSchemaOf(definition.Schema);

    /// <summary>How many data files the current snapshot has (each written batch is one).</summary>
    public int CurrentFileCount { get { lock (_gate) return CurrentFiles().Count; } }

    public ITableWriter NewAppend() => new Writer(this, null);

    public ITableWriter NewReplace(RowFilter filter) => new Writer(this, filter);

    public async IAsyncEnumerable<RecordBatch> ScanAsync(TableScan scan, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<(string Path, RecordBatch Batch)> files;
        lock (_gate)
            files = scan.SnapshotId is { } id
                ? _filesBySnapshot.TryGetValue(id, out var f) ? f : throw new KeyNotFoundException($"{Id} has no snapshot {id}.")
                : CurrentFiles();
        var columns = scan.Columns ?? ArrowSchema.FieldsList.Select(f => f.Name).ToList();
        foreach (var name in columns.Concat(scan.Filter.ColumnEquals.Keys))
            if (ArrowSchema.GetFieldIndex(name) < 0) throw new ArgumentException($"{Id} has no column '{name}'.");

        foreach (var (_, batch) in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = Enumerable.Range(0, batch.Length).Where(r => Matches(batch, r, scan.Filter)).ToList();
            if (rows.Count == 0) continue;
            await Task.Yield();
            yield return Select(batch, rows, columns);
        }
    }

    public Task<IReadOnlyList<TableSnapshot>> HistoryAsync(CancellationToken cancellationToken)
    {
        lock (_gate) return Task.FromResult<IReadOnlyList<TableSnapshot>>(_history.ToList());
    }

    public Task<IReadOnlyList<TableDataFile>> FilesAsync(long? snapshotId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var files = snapshotId is { } id ? _filesBySnapshot[id] : CurrentFiles();
            return Task.FromResult<IReadOnlyList<TableDataFile>>(files
                .Select(f => new TableDataFile(f.Path, f.Batch.Length, SizeOf(f.Batch), new Dictionary<string, string>())).ToList());
        }
    }

    private List<(string Path, RecordBatch Batch)> CurrentFiles() =>
        _history.Count == 0 ? [] : _filesBySnapshot[_history[^1].SnapshotId];

    private TableCommit Commit(IReadOnlyList<RecordBatch> written, RowFilter? replace)
    {
        lock (_gate)
        {
            var kept = new List<(string Path, RecordBatch Batch)>();
            long removedRows = 0;
            var removedFiles = 0;
            foreach (var file in CurrentFiles())
            {
                var keep = Enumerable.Range(0, file.Batch.Length).Where(r => replace is null || !Matches(file.Batch, r, replace)).ToList();
                if (keep.Count == file.Batch.Length) { kept.Add(file); continue; }
                removedRows += file.Batch.Length - keep.Count;
                removedFiles++;
                if (keep.Count > 0) kept.Add((NextPath(), Select(file.Batch, keep, ArrowSchema.FieldsList.Select(f => f.Name).ToList())));
            }
            var added = written.Where(b => b.Length > 0).Select(b => (Path: NextPath(), Batch: b)).ToList();
            var snapshotId = _history.Count + 1L;
            var all = kept.Concat(added).ToList();
            _filesBySnapshot[snapshotId] = all;
            _history.Add(new TableSnapshot(snapshotId, _history.Count == 0 ? null : _history[^1].SnapshotId, snapshotId,
                DateTimeOffset.UnixEpoch.AddSeconds(snapshotId), replace is null ? "append" : "overwrite", true));
            for (var i = 0; i < _history.Count - 1; i++) _history[i] = _history[i] with { IsCurrent = false };
            return new TableCommit(snapshotId, added.Sum(a => (long)a.Batch.Length), removedRows, added.Count, removedFiles,
                added.Sum(a => SizeOf(a.Batch)), all.Sum(a => (long)a.Batch.Length))
            {
                AddedFilePaths = added.Select(a => a.Path).ToList(),
            };
        }
    }

    private string NextPath() => $"memory://{Id.Namespace}/{Id.Name}/data/{++_fileCounter:D5}.arrow";

    private static long SizeOf(RecordBatch batch) =>
        batch.Arrays.Sum(a => a.Data.Buffers.Sum(b => (long)b.Length));

    private static bool Matches(RecordBatch batch, int row, RowFilter filter) =>
        filter.ColumnEquals.All(term =>
            ArrowValues.SameValue(ArrowValues.ValueAt(batch.Column(batch.Schema.GetFieldIndex(term.Key)), row), term.Value));

    private RecordBatch Select(RecordBatch batch, IReadOnlyList<int> rows, IReadOnlyList<string> columns)
    {
        var fields = columns.Select(c => ArrowSchema.GetFieldByName(c)).ToList();
        var arrays = columns.Select(c =>
        {
            var array = batch.Column(batch.Schema.GetFieldIndex(c));
            return rows.Count == batch.Length ? array : ArrowValues.Build(array.Data.DataType, rows.Select(r => ArrowValues.ValueAt(array, r)));
        }).ToList();
        return new RecordBatch(new Schema(fields, null), arrays, rows.Count);
    }

    private void Validate(RecordBatch batch)
    {
        if (batch.Schema.FieldsList.Count != ArrowSchema.FieldsList.Count)
            throw new ArgumentException($"{Id}: a batch has {batch.Schema.FieldsList.Count} columns, the table {ArrowSchema.FieldsList.Count}.");
        for (var c = 0; c < ArrowSchema.FieldsList.Count; c++)
        {
            var expected = ArrowSchema.FieldsList[c];
            var actual = batch.Schema.FieldsList[c];
            if (actual.Name != expected.Name || !SameType(actual.DataType, expected.DataType))
                throw new ArgumentException($"{Id}: column {c} is {actual.Name} {actual.DataType.Name}, the table has {expected.Name} {expected.DataType.Name}.");
            var array = batch.Column(c);
            if (array.Length != batch.Length)
                throw new ArgumentException($"{Id}: column {expected.Name} has {array.Length} values in a batch of {batch.Length} rows.");
            if (!expected.IsNullable && array.NullCount > 0)
                throw new ArgumentException($"{Id}: required column {expected.Name} holds {array.NullCount} null(s).");
        }
    }

    private static bool SameType(IArrowType a, IArrowType b) => (a, b) switch
    {
        (TimestampType x, TimestampType y) => x.Unit == y.Unit && x.Timezone == y.Timezone,
        _ => a.TypeId == b.TypeId,
    };

    private sealed class Writer(InMemoryLakeTable table, RowFilter? replace) : ITableWriter
    {
        private readonly List<RecordBatch> _written = [];
        private bool _committed;

        public Task WriteAsync(RecordBatch batch, CancellationToken cancellationToken)
        {
            if (_committed) throw new InvalidOperationException("This writer already committed.");
            table.Validate(batch);
            _written.Add(batch);
            return Task.CompletedTask;
        }

        public Task<TableCommit> CommitAsync(IReadOnlyDictionary<string, string> summary, CancellationToken cancellationToken) => CommitAsync(cancellationToken);

        public Task<TableCommit> CommitAsync(CancellationToken cancellationToken)
        {
            if (_committed) throw new InvalidOperationException("This writer already committed.");
            _committed = true;
            return Task.FromResult(table.Commit(_written, replace));
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
