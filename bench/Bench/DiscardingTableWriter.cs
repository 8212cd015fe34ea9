using Apache.Arrow;
using Lakehouse.Core.Tables;

namespace TmLakehouse.Bench;

/// <summary>A table writer that only counts rows: with it the Silver transform's cost is read + parse + dedup, without Parquet or Iceberg.</summary>
internal sealed class DiscardingTableWriter : ITableWriter
{
    public long Rows { get; private set; }

    public Task WriteAsync(RecordBatch batch, CancellationToken cancellationToken)
    {
        Rows += batch.Length;
        batch.Dispose();
        return Task.CompletedTask;
    }

    public Task<TableCommit> CommitAsync(IReadOnlyDictionary<string, string> summary, CancellationToken cancellationToken) => CommitAsync(cancellationToken);

    public Task<TableCommit> CommitAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new TableCommit(0, Rows, 0, 0, 0, 0, Rows));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
