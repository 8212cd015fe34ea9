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
}
