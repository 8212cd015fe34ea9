using System.Runtime.CompilerServices;
using Apache.Arrow;
using Lakehouse.Core.Tables;
using TmLakehouse.Assets.Silver;

namespace TmLakehouse.Assets.Gold;

/// <summary>Streams one course's rows of Silver <c>fact_telemetry_event</c> as Arrow batches with only the columns Gold needs.</summary>
internal static class SilverTelemetryScan
{
    /// <summary>What the round aggregation reads.</summary>
    public static IReadOnlyList<string> RoundColumns { get; } =
    [
        "round_id", "location_index", "fix_timestamp", "hole_number", "nine_number", "section_number", "start_hole",
        "is_nine_hole", "is_complete", "pace", "pace_gap", "positional_gap", "battery_percentage", "is_projected", "is_problem", "is_cache",
    ];

    public static async IAsyncEnumerable<RecordBatch> ScanAsync(
        ITableCatalog tables, string courseId, IReadOnlyList<string> columns, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var id = SilverTables.TelemetryEvent.Id;
        var table = await tables.LoadAsync(id, cancellationToken)
            ?? throw new InvalidOperationException($"Table {id} does not exist yet: materialize silver/{id.Name} for course {courseId} before Gold.");
        var scan = new TableScan { Filter = RowFilter.Where(("course_id", courseId)), Columns = columns };
        await foreach (var batch in table.ScanAsync(scan, cancellationToken))
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
