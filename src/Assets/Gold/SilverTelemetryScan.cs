using System.Runtime.CompilerServices;
using Apache.Arrow;
using Lakehouse.Core.Tables;
using TmLakehouse.Assets.Silver;

namespace TmLakehouse.Assets.Gold;

/// <summary>
/// Streams one course's rows of Silver <c>fact_telemetry_event</c> as Arrow batches with only the columns Gold needs. Every scan of
/// one instance reads the same snapshot, so the passes of one Gold step agree even if Silver commits meanwhile.
/// </summary>
internal sealed class SilverTelemetryScan
{
    private readonly ILakeTable _table;
    private readonly string _courseId;
    private readonly long? _snapshotId;

    private SilverTelemetryScan(ILakeTable table, string courseId, long? snapshotId)
    {
        _table = table;
        _courseId = courseId;
        _snapshotId = snapshotId;
    }

    /// <summary>What the round aggregation reads.</summary>
    public static IReadOnlyList<string> RoundColumns { get; } =
    [
        "round_id", "ingest_date", "location_index", "fix_timestamp", "hole_number", "nine_number", "section_number", "start_hole",
        "is_nine_hole", "is_complete", "pace", "pace_gap", "positional_gap", "battery_percentage", "is_projected", "is_problem", "is_cache",
    ];

    /// <summary>Pins Silver's current snapshot for the course's passes.</summary>
    public static async Task<SilverTelemetryScan> OpenAsync(ITableCatalog tables, string courseId, CancellationToken cancellationToken)
    {
        var id = SilverTables.TelemetryEvent.Id;
        var table = await tables.LoadAsync(id, cancellationToken)
            ?? throw new InvalidOperationException($"Table {id} does not exist yet: materialize silver/{id.Name} for course {courseId} before Gold.");
        var current = (await table.HistoryAsync(cancellationToken)).FirstOrDefault(s => s.IsCurrent);
        return new SilverTelemetryScan(table, courseId, current?.SnapshotId);
    }

    public async IAsyncEnumerable<RecordBatch> ScanAsync(IReadOnlyList<string> columns, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (_snapshotId is null) yield break;
        var scan = new TableScan { Filter = RowFilter.Where(("course_id", _courseId)), Columns = columns, SnapshotId = _snapshotId };
        await foreach (var batch in _table.ScanAsync(scan, cancellationToken))
            yield return batch;
    }

    /// <summary>A column of a scanned batch, with a clear error when the table did not return it.</summary>
    public static IArrowArray Column(RecordBatch batch, string name)
    {
        var index = batch.Schema.GetFieldIndex(name);
        return index >= 0
            ? batch.Column(index)
            : throw new InvalidDataException($"A scan of {SilverTables.TelemetryEvent.Id} returned no column '{name}'.");
    }
}
