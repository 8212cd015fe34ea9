using Apache.Arrow;
using Lakehouse.Core.Tables;

namespace TmLakehouse.Assets.Silver;

/// <summary>
/// Passes fact_device_health batches to the table and counts what they hold (rows without round_id, capture-log entries),
/// so the device-health asset reports and checks the rows actually written, without reading the table back.
/// </summary>
internal sealed class DeviceHealthTally(ITableWriter inner) : ITableWriter
{
    public long NullRoundIds { get; private set; }
    public long LogEntries { get; private set; }

    public Task WriteAsync(RecordBatch batch, CancellationToken cancellationToken)
    {
        NullRoundIds += batch.Column("round_id").NullCount;
        var entries = (Int32Array)batch.Column("entry_count");
        for (var i = 0; i < entries.Length; i++) LogEntries += entries.GetValue(i) ?? 0;
        return inner.WriteAsync(batch, cancellationToken);
    }

    public Task<TableCommit> CommitAsync(CancellationToken cancellationToken) => inner.CommitAsync(cancellationToken);

    public Task<TableCommit> CommitAsync(IReadOnlyDictionary<string, string> summary, CancellationToken cancellationToken) => inner.CommitAsync(summary, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
