using System.Runtime.CompilerServices;
using Apache.Arrow;
using Lakehouse.Core.Objects;

namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>An Iceberg v2 table: every read starts from the catalog's current metadata; every change is one compare-and-swap commit.</summary>
internal sealed class IcebergTable : ILakeTable
{
    private const int MaxCommitAttempts = 100;
    private TableMetadata _metadata;

    public IcebergTable(ITableOperations operations, TableIdentifier id, TableMetadata metadata, string metadataLocation)
    {
        Operations = operations;
        Id = id;
        _metadata = metadata;
        MetadataLocation = metadataLocation;
        Store = operations.StoreOf(id);
        TableKey = MetadataFiles.TableKeyOf(Store, metadata.Location);
    }

    public TableIdentifier Id { get; }
    public ITableOperations Operations { get; }
    public IObjectStore Store { get; }
    public LocalStaging Staging => Operations.Staging;

    /// <summary>The key prefix of the table's files in its store, from its location (a renamed table keeps its folder).</summary>
    public string TableKey { get; }

    public string MetadataLocation { get; private set; }
    public TableMetadata Metadata => _metadata;
    public TimeProvider Clock => Operations.Clock;

    public TableSchema Schema => _metadata.CurrentSchema.ToTableSchema();
    public Schema ArrowSchema => IcebergTypes.ArrowSchemaOf(_metadata.CurrentSchema.Fields);

    public ITableWriter NewAppend() => new IcebergTableWriter(this, null);
    public ITableWriter NewReplace(RowFilter filter) => new IcebergTableWriter(this, filter);

    /// <summary>Reloads the current metadata from the catalog.</summary>
    public async Task<TableMetadata> RefreshAsync(CancellationToken cancellationToken)
    {
        var current = await Operations.ReadCurrentAsync(Id, cancellationToken) ?? throw new InvalidOperationException($"Table {Id} no longer exists in the catalog.");
        _metadata = current.Metadata;
        MetadataLocation = current.Location;
        return _metadata;
    }

    public async IAsyncEnumerable<RecordBatch> ScanAsync(TableScan scan, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var metadata = await RefreshAsync(cancellationToken);
        if (metadata.CurrentSnapshotId < 0 && scan.SnapshotId is null) yield break;
        var snapshot = metadata.SnapshotOrCurrent(scan.SnapshotId, Id);
        // Columns of the current schema (time travel reads old files through today's names and ids).
        var schema = metadata.CurrentSchema.Fields;
        var output = scan.Columns is null
            ? schema
            : scan.Columns.Select(c => schema.FirstOrDefault(f => f.Name == c) ?? throw new ArgumentException($"Table {Id} has no column '{c}'.")).ToList();
        var filter = new CompiledFilter(scan.Filter, schema, Id);
        var spec = metadata.DefaultSpec;
        foreach (var entry in await TableFiles.LiveEntriesAsync(Store, TableKey, snapshot, cancellationToken))
        {
            var match = filter.Evaluate(entry.File, spec);
            if (match == FileMatch.None) continue;
            var fileFilter = match == FileMatch.All ? new CompiledFilter(RowFilter.All, schema, Id) : filter;
            await foreach (var batch in DataFileScanner.ReadAsync(Store, Staging, MetadataFiles.KeyOf(Store, TableKey, entry.File.Path), output, fileFilter, cancellationToken))
                yield return batch;
        }
    }

    public async Task<IReadOnlyList<TableSnapshot>> HistoryAsync(CancellationToken cancellationToken)
    {
        var metadata = await RefreshAsync(cancellationToken);
        return metadata.Snapshots.OrderBy(s => s.SequenceNumber).Select(s => new TableSnapshot(
            s.SnapshotId, s.ParentSnapshotId, s.SequenceNumber, DateTimeOffset.FromUnixTimeMilliseconds(s.TimestampMs), s.Operation,
            s.SnapshotId == metadata.CurrentSnapshotId) { Summary = s.Summary }).ToList();
    }

    public async Task<IReadOnlyList<TableDataFile>> FilesAsync(long? snapshotId, CancellationToken cancellationToken)
    {
        var metadata = await RefreshAsync(cancellationToken);
        if (metadata.CurrentSnapshotId < 0 && snapshotId is null) return [];
        var snapshot = metadata.SnapshotOrCurrent(snapshotId, Id);
        var spec = metadata.DefaultSpec;
        var fields = metadata.CurrentSchema.Fields;
        return (await TableFiles.LiveEntriesAsync(Store, TableKey, snapshot, cancellationToken)).Select(e => new TableDataFile(
            e.File.Path, e.File.RecordCount, e.File.FileSizeInBytes,
            spec.Fields.Select((p, i) => (p.Name, Value: IcebergValues.ToText(p.ResultType(fields), e.File.Partition[i])))
                .ToDictionary(kv => kv.Name, kv => kv.Value))).ToList();
    }

    /// <summary>Adds the definition's columns the table lacks (optional ones only), as a new schema; data files are untouched.</summary>
    public async Task EvolveAsync(TableDefinition definition, CancellationToken cancellationToken)
    {
        await CommitAsync(async (current, _, _) =>
        {
            await Task.CompletedTask;
            var fields = current.CurrentSchema.Fields;
            foreach (var wanted in definition.Schema.Fields)
            {
                var existing = fields.FirstOrDefault(f => f.Id == wanted.Id);
                if (existing is not null && (existing.Name != wanted.Name || existing.Type != wanted.Type))
                    throw new InvalidOperationException($"Table {Id}: field id {wanted.Id} is '{existing.Name}' ({existing.Type}) in the table but '{wanted.Name}' ({wanted.Type}) in the definition; field ids must never change.");
                if (existing is null && fields.Any(f => f.Name == wanted.Name))
                    throw new InvalidOperationException($"Table {Id}: column '{wanted.Name}' exists with another field id; field ids must never change.");
            }
            var missing = definition.Schema.Fields.Where(w => fields.All(f => f.Id != w.Id)).ToList();
            var spec = current.DefaultSpec;
            var wantedSpec = definition.PartitionSpec.Select(p => (p.Name, p.Transform, p.SourceColumn)).ToList();
            var haveSpec = spec.Fields.Select(p => (p.Name, p.Transform, fields.Concat(missing).First(f => f.Id == p.SourceId).Name)).ToList();
            if (!wantedSpec.SequenceEqual(haveSpec))
                throw new InvalidOperationException($"Table {Id} is partitioned by ({string.Join(", ", haveSpec)}), the definition asks for ({string.Join(", ", wantedSpec)}); changing a partition spec is not supported.");
            var properties = TableMetadata.WithGeometryColumn(current.Properties, definition);
            if (missing.Count == 0)
                return ReferenceEquals(properties, current.Properties) ? null : current with { Properties = properties };
            var required = missing.FirstOrDefault(f => f.Required);
            if (required is not null)
                throw new InvalidOperationException($"Table {Id}: new column '{required.Name}' is required; only optional columns can be added to a table with data.");
            var schema = new IcebergSchema(current.Schemas.Max(s => s.SchemaId) + 1, fields.Concat(missing).ToList());
            return current with
            {
                Schemas = current.Schemas.Append(schema).ToList(),
                CurrentSchemaId = schema.SchemaId,
                LastColumnId = Math.Max(current.LastColumnId, schema.Fields.Max(f => f.Id)),
                Properties = properties,
            };
        }, cancellationToken);
    }

    /// <summary>
    /// Commits by compare-and-swap: read the current metadata, apply the change to it, write the next metadata file, swap the
    /// catalog pointer. When another writer won, the attempt's files are deleted and the change re-applied to the new state.
    /// </summary>
    public async Task<TableMetadata> CommitAsync(
        Func<TableMetadata, List<string>, CancellationToken, Task<TableMetadata?>> apply, CancellationToken cancellationToken)
    {
        Exception? lastConflict = null;
        for (var attempt = 1; attempt <= MaxCommitAttempts; attempt++)
        {
            var (location, current) = await Operations.ReadCurrentAsync(Id, cancellationToken)
                                      ?? throw new InvalidOperationException($"Table {Id} no longer exists in the catalog.");
            var written = new List<string>();
            TableMetadata? next;
            try
            {
                next = await apply(current, written, cancellationToken);
            }
            catch (CommitConflictException e)
            {
                lastConflict = e;
                await DeleteQuietlyAsync(written);
                await BackoffAsync(attempt, cancellationToken);
                continue;
            }
            catch
            {
                await DeleteQuietlyAsync(written);
                throw;
            }
            if (next is null)
            {
                _metadata = current;
                MetadataLocation = location;
                return current;
            }
            if (await Operations.CommitAsync(Id, location, current, next, cancellationToken) is { } committed)
            {
                _metadata = committed.Metadata;
                MetadataLocation = committed.Location;
                return committed.Metadata;
            }
            await DeleteQuietlyAsync(written);
            lastConflict = new CommitConflictException($"metadata moved past {location}");
            await BackoffAsync(attempt, cancellationToken);
        }
        throw new InvalidOperationException($"Table {Id}: could not commit after {MaxCommitAttempts} attempts; other writers kept winning ({lastConflict?.Message}).", lastConflict);
    }

    private static Task BackoffAsync(int attempt, CancellationToken cancellationToken) =>
        Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 5 * Math.Pow(1.6, attempt)) * (0.5 + Random.Shared.NextDouble())), cancellationToken);

    public async Task DeleteQuietlyAsync(IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            try
            {
                await Store.DeleteAsync(key, CancellationToken.None);
            }
            catch (IOException)
            {
                // Left behind for orphan-file removal.
            }
        }
    }
}
