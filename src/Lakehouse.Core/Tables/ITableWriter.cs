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
}
