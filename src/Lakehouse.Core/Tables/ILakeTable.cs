using Apache.Arrow;

namespace Lakehouse.Core.Tables;

/// <summary>The narrow table API the assets use: append, replace the rows matching a filter, scan.</summary>
public interface ILakeTable
{
    TableIdentifier Id { get; }
    TableSchema Schema { get; }

    /// <summary>The Arrow schema batches given to a writer must have (field names and types of <see cref="Schema"/>).</summary>
    Schema ArrowSchema { get; }

    ITableWriter NewAppend();

    /// <summary>Replaces every row matching the filter with the written rows, in one snapshot (re-materializing a partition).</summary>
    ITableWriter NewReplace(RowFilter filter);

    /// <summary>Streams matching rows as Arrow batches, never loading the table.</summary>
    IAsyncEnumerable<RecordBatch> ScanAsync(TableScan scan, CancellationToken cancellationToken);

    Task<IReadOnlyList<TableSnapshot>> HistoryAsync(CancellationToken cancellationToken);
    Task<IReadOnlyList<TableDataFile>> FilesAsync(long? snapshotId, CancellationToken cancellationToken);
}
