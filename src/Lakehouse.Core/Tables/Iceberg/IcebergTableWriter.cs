using Lakehouse.Core.Tables.GeoParquet;
using System.Threading.Channels;
using Apache.Arrow;

namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>
/// One pending append or replace. Written batches become uploaded data files at once (bounded memory); the commit adds
/// them in one snapshot, and for a replace removes the rows matching the filter: whole files when their partition values
/// and metrics prove every row matches, otherwise by copy-on-write of the file without the matching rows.
/// Batches are checked on the caller's thread (a bad row fails that WriteAsync) and encoded on a background task, so the
/// caller builds its next batch while Parquet encodes this one; at most one checked batch waits in between.
/// </summary>
internal sealed class IcebergTableWriter : ITableWriter
{
    private readonly IcebergTable _table;
    private readonly RowFilter? _replace;
    private readonly PartitionedFileWriter _files;
    private readonly IcebergSchema _schema;
    private readonly Channel<ValidatedBatch> _pending =
        Channel.CreateBounded<ValidatedBatch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _abandon = new();
    private Task? _encoder;
    private bool _committed;
    private bool _finished;

    public IcebergTableWriter(IcebergTable table, RowFilter? replace)
    {
        _table = table;
        _replace = replace;
        _schema = table.Metadata.CurrentSchema;
        _files = new PartitionedFileWriter(table.Store, table.Staging, table.TableKey, _schema, table.Metadata.DefaultSpec)
            { Extension = GeoParquetFiles.For(table.Metadata.Properties) };
        if (replace is not null)
        {
            // A replace may only write rows its filter selects, or a re-run of the same replace would not remove them.
            var filter = new CompiledFilter(replace, _schema.Fields, table.Id);
            _files.RowGuard = (filter, $"the row does not match the replace filter {Describe(replace)}");
        }
    }

    public DataFileRecorder? BeforeEachFile
    {
        get => _files.BeforePut;
        set => _files.BeforePut = _encoder is null ? value : throw new InvalidOperationException("Set BeforeEachFile before the first write.");
    }

    public async Task WriteAsync(RecordBatch batch, CancellationToken cancellationToken)
    {
        if (_finished) throw new InvalidOperationException("The writer has already committed.");
        var validated = _files.Validate(batch, null);
        _encoder ??= Task.Run(() => EncodeAsync(cancellationToken));
        try
        {
            await _pending.Writer.WriteAsync(validated, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            await _encoder; // the encoder stopped on an error: that error is the story, not the closed queue
            throw;
        }
    }

    private async Task EncodeAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _abandon.Token);
        try
        {
            await foreach (var batch in _pending.Reader.ReadAllAsync(linked.Token))
                await _files.WriteAsync(batch, linked.Token);
        }
        catch (Exception e)
        {
            // Wakes a caller blocked on the full queue; it then awaits this task and sees this exception.
            _pending.Writer.TryComplete(e);
            throw;
        }
    }

    /// <summary>Waits until every queued batch is in a file (rethrowing an encoding error).</summary>
    private async Task DrainAsync()
    {
        _pending.Writer.TryComplete();
        if (_encoder is not null) await _encoder;
    }

    public Task<TableCommit> CommitAsync(CancellationToken cancellationToken) => CommitAsync(new Dictionary<string, string>(), cancellationToken);

    public async Task<TableCommit> CommitAsync(IReadOnlyDictionary<string, string> summary, CancellationToken cancellationToken)
    {
        if (_finished) throw new InvalidOperationException("The writer has already committed.");
        _finished = true;
        await DrainAsync();
        var added = await _files.FinishAsync(cancellationToken);
        ProducedSnapshot? produced = null;
        long removedRows = 0;
        int removedFiles = 0;
        await _table.CommitAsync(async (current, written, ct) =>
        {
            var producer = new SnapshotProducer(_table.Store, _table.TableKey, _table.Clock);
            if (_replace is null)
            {
                produced = await producer.ProduceAsync(current, "append", added, new HashSet<string>(), summary, written, ct);
                removedRows = 0;
                removedFiles = 0;
                return produced.Metadata;
            }
            var schema = current.CurrentSchema;
            var filter = new CompiledFilter(_replace, schema.Fields, _table.Id);
            var deleted = new HashSet<string>();
            var rewrite = new List<DataFileInfo>();
            var removedCount = 0L;
            if (current.CurrentSnapshot is { } snapshot)
            {
                foreach (var entry in await TableFiles.LiveEntriesAsync(_table.Store, _table.TableKey, snapshot, ct))
                {
                    switch (filter.Evaluate(entry.File, current.DefaultSpec))
                    {
                        case FileMatch.All:
                            deleted.Add(entry.File.Path);
                            removedCount += entry.File.RecordCount;
                            break;
                        case FileMatch.Some:
                            deleted.Add(entry.File.Path);
                            rewrite.Add(entry.File);
                            break;
                    }
                }
            }
            var all = added.ToList();
            if (rewrite.Count > 0)
            {
                using var cow = new PartitionedFileWriter(_table.Store, _table.Staging, _table.TableKey, schema, current.DefaultSpec)
                    { Extension = GeoParquetFiles.For(current.Properties), BeforePut = _files.BeforePut };
                try
                {
                    var kept = await FileRewriter.CopyAsync(_table, schema, rewrite, filter, cow, ct);
                    removedCount += rewrite.Sum(f => f.RecordCount) - kept;
                    all.AddRange(await cow.FinishAsync(ct));
                }
                finally
                {
                    written.AddRange(cow.Written.Select(f => MetadataFiles.KeyOf(_table.Store, _table.TableKey, f.Path)));
                }
            }
            var extra = new Dictionary<string, string>(summary);
            if (rewrite.Count == 0 && _replace.ColumnEquals.Count > 0 && _replace.ColumnEquals.Keys.All(IsIdentityPartitionColumn))
                extra["replace-partitions"] = "true";
            produced = await producer.ProduceAsync(current, "overwrite", all, deleted, extra, written, ct);
            removedRows = removedCount;
            removedFiles = deleted.Count;
            return produced.Metadata;
        }, cancellationToken);
        _committed = true;
        var result = produced!;
        var total = long.Parse(result.Snapshot.Summary["total-records"], System.Globalization.CultureInfo.InvariantCulture);
        return new TableCommit(result.Snapshot.SnapshotId, added.Sum(f => f.RecordCount), removedRows, added.Count, removedFiles,
            added.Sum(f => f.FileSizeInBytes), total) { AddedFilePaths = added.Select(f => f.Path).ToList() };
    }

    private bool IsIdentityPartitionColumn(string column)
    {
        var field = _schema.Fields.First(f => f.Name == column);
        return _table.Metadata.DefaultSpec.Fields.Any(p => p.SourceId == field.Id && p.Transform == PartitionTransform.Identity);
    }

    private static string Describe(RowFilter filter) => string.Join(" and ", filter.ColumnEquals.Select(kv => $"{kv.Key} = {kv.Value}"));

    public async ValueTask DisposeAsync()
    {
        if (!_committed)
        {
            _abandon.Cancel();
            try
            {
                await DrainAsync();
            }
            catch
            {
                // Abandoned: what the encoder failed with was reported by WriteAsync or CommitAsync, or nobody asked.
            }
            _files.Dispose();
            await _table.DeleteQuietlyAsync(_files.Written.Select(f => MetadataFiles.KeyOf(_table.Store, _table.TableKey, f.Path)));
        }
        _files.Dispose();
        _abandon.Dispose();
    }
}
