using System.Runtime.CompilerServices;
using Apache.Arrow;
using Lakehouse.Core.Tables;
using TmLakehouse.Assets.Silver;

namespace Assets.Tests.Silver;

/// <summary>An in-memory table catalog for asset tests: tables keep committed batches; a replace drops the batches its filter matches.</summary>
internal sealed class CollectingCatalog : ITableCatalog
{
    public Dictionary<TableIdentifier, CollectingTable> Tables { get; } = new();

    public Task<ILakeTable> CreateOrLoadAsync(TableDefinition definition, CancellationToken cancellationToken)
    {
        if (!Tables.TryGetValue(definition.Id, out var table)) Tables[definition.Id] = table = new CollectingTable(definition);
        return Task.FromResult<ILakeTable>(table);
    }

    public Task<ILakeTable?> LoadAsync(TableIdentifier id, CancellationToken cancellationToken) =>
        Task.FromResult<ILakeTable?>(Tables.GetValueOrDefault(id));

    public Task<IReadOnlyList<TableIdentifier>> ListTablesAsync(string? ns, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<TableIdentifier>>(Tables.Keys.Where(k => ns is null || k.Namespace == ns).ToList());
}

/// <summary>A table as a list of committed batches and a snapshot history.</summary>
internal sealed class CollectingTable(TableDefinition definition) : ILakeTable
{
    private readonly List<TableSnapshot> _history = [];
    public List<RecordBatch> Batches { get; } = [];
    public int OpenWriters { get; set; }

    public TableIdentifier Id => definition.Id;
    public TableSchema Schema => definition.Schema;
    public Schema ArrowSchema { get; } = SilverArrowSchemas.For(definition.Schema);

    public IEnumerable<Dictionary<string, object?>> Rows => Batches.SelectMany(ArrowRows.Of);

    public ITableWriter NewAppend() => new CollectingWriter(this, null);
    public ITableWriter NewReplace(RowFilter filter) => new CollectingWriter(this, filter);

    public async IAsyncEnumerable<RecordBatch> ScanAsync(TableScan scan, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var batch in Batches.Where(b => Matches(b, scan.Filter))) yield return batch;
    }

    public Task<IReadOnlyList<TableSnapshot>> HistoryAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<TableSnapshot>>(_history);

    public Task<IReadOnlyList<TableDataFile>> FilesAsync(long? snapshotId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<TableDataFile>>(Batches.Select((b, i) => new TableDataFile($"mem://{Id}/{i}", b.Length, 0, new Dictionary<string, string>())).ToList());

    /// <summary>A batch matches when its rows all match; the writers below only accept batches whose filter columns are constant.</summary>
    internal static bool Matches(RecordBatch batch, RowFilter filter) =>
        batch.Length > 0 && filter.ColumnEquals.All(term => Equals(ArrowRows.Value(batch.Column(term.Key), 0), term.Value));

    internal TableCommit Commit(List<RecordBatch> written, RowFilter? replace)
    {
        var removed = replace is null ? [] : Batches.Where(b => Matches(b, replace)).ToList();
        foreach (var b in removed) Batches.Remove(b);
        Batches.AddRange(written);
        var id = _history.Count + 1;
        _history.Add(new TableSnapshot(id, id == 1 ? null : id - 1, id, DateTimeOffset.UnixEpoch.AddSeconds(id), replace is null ? "append" : "overwrite", true));
        return new TableCommit(id, written.Sum(b => (long)b.Length), removed.Sum(b => (long)b.Length), written.Count, removed.Count,
            written.Sum(b => (long)b.Length * 100), Batches.Sum(b => (long)b.Length));
    }
}

/// <summary>Collects written batches; commits them into the table, or forgets them when disposed uncommitted.</summary>
internal sealed class CollectingWriter : ITableWriter
{
    private readonly CollectingTable _table;
    private readonly RowFilter? _replace;
    private readonly List<RecordBatch> _written = [];
    private bool _committed;

    public CollectingWriter(CollectingTable table, RowFilter? replace)
    {
        _table = table;
        _replace = replace;
        table.OpenWriters++;
    }

    public Task WriteAsync(RecordBatch batch, CancellationToken cancellationToken)
    {
        if (!batch.Schema.FieldsList.Select(f => (f.Name, f.DataType.TypeId, f.IsNullable))
                .SequenceEqual(_table.ArrowSchema.FieldsList.Select(f => (f.Name, f.DataType.TypeId, f.IsNullable))))
            throw new InvalidOperationException($"Batch schema does not match {_table.Id}.");
        if (_replace is not null)
            foreach (var term in _replace.ColumnEquals)
                for (var i = 0; i < batch.Length; i++)
                    if (!Equals(ArrowRows.Value(batch.Column(term.Key), i), term.Value))
                        throw new InvalidOperationException($"Row {i} has {term.Key} = {ArrowRows.Value(batch.Column(term.Key), i)}, outside the replaced partition {term.Value}.");
        _written.Add(batch);
        return Task.CompletedTask;
    }

    public Task<TableCommit> CommitAsync(IReadOnlyDictionary<string, string> summary, CancellationToken cancellationToken) => CommitAsync(cancellationToken);

    public Task<TableCommit> CommitAsync(CancellationToken cancellationToken)
    {
        if (_committed) throw new InvalidOperationException("Already committed.");
        _committed = true;
        return Task.FromResult(_table.Commit(_written, _replace));
    }

    public ValueTask DisposeAsync()
    {
        _table.OpenWriters--;
        return ValueTask.CompletedTask;
    }
}
