using Apache.Arrow;

namespace Lakehouse.Core.Tables;

/// <summary>
/// One pending commit: write Arrow batches (any number; the table splits them into partition files), then commit once.
/// Disposing without committing deletes what was written, so a failed step leaves the table untouched.
/// </summary>
public interface ITableWriter : IAsyncDisposable
{
    Task WriteAsync(RecordBatch batch, CancellationToken cancellationToken);
    Task<TableCommit> CommitAsync(CancellationToken cancellationToken);

    /// <summary>Commits with extra snapshot summary properties (e.g. <c>tm.run-id</c>, <c>tm.asset</c>, <c>tm.partition</c>); values are strings, as Iceberg requires.</summary>
    Task<TableCommit> CommitAsync(IReadOnlyDictionary<string, string> summary, CancellationToken cancellationToken);

    /// <summary>
    /// Called before each data file this writer stores is put (those a replace rewrites included), with the metadata it returns
    /// stored on the object. Set it before the first write. A writer that stores no objects of its own cannot honour it.
    /// </summary>
    DataFileRecorder? BeforeEachFile
    {
        get => null;
        set => throw new NotSupportedException($"{GetType().Name} stores no data files of its own, so it cannot record them.");
    }
}
