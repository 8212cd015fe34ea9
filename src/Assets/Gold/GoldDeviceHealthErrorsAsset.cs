using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;

namespace TmLakehouse.Assets.Gold;

/// <summary>
/// <c>gold/device_health_errors</c>: every fix of a course whose battery is below 20 %, flagged low or critical (below 10 %), each
/// (round_id, location_index) once across ingests. Rows go out batch by batch as Silver streams in, so nothing per fix is held.
/// </summary>
public sealed class GoldDeviceHealthErrorsAsset : IAsset
{
    private static readonly IReadOnlyList<string> Columns =
        ["round_id", "ingest_date", "location_index", "fix_timestamp", "battery_percentage", "is_projected", "is_cache"];

    public static AssetDefinition Definition { get; } = new(
        GoldAssets.SpecOf(GoldTables.DeviceHealthErrors, "Fixes with battery below 20 %: battery_low, or battery_critical below 10 %."),
        new GoldDeviceHealthErrorsAsset());

    public async Task<MaterializeResult> MaterializeAsync(AssetExecutionContext context, CancellationToken cancellationToken)
    {
        var started = context.Clock.GetTimestamp();
        var courseId = context.PartitionValue(GoldAssets.CourseDimension);
        var tables = context.Resources.Tables;

        await using var writer = await GoldCourseWriter.OpenAsync(tables, GoldTables.DeviceHealthErrors, courseId, cancellationToken);
        var rows = new LowBatteryRows(writer, courseId);
        var read = await UniqueSilverFixes.ReadAsync(tables, courseId, Columns, rows, UniqueSilverFixes.RowsPerGroup, cancellationToken);
        var commit = await writer.CommitAsync(context.SnapshotSummary, cancellationToken);

        var duration = context.Clock.GetElapsedTime(started);
        var log = GoldMetadata.LogFor(context, courseId, writer.RowsWritten, duration);
        log.Information("Wrote {RowsOut} low-battery fix(es) of {Rounds} round(s) for course {CourseId} from {RowsIn} Silver row(s), snapshot {SnapshotId}",
            writer.RowsWritten, rows.Rounds, courseId, read.RowsIn, commit.SnapshotId);
        GoldMetadata.LogResolved(log, courseId, read);
        return new MaterializeResult
        {
            Metadata = GoldMetadata.Of(writer.Table, commit, read, writer.RowsWritten, rows.Rounds, duration),
        };
    }

    /// <summary>Turns each fix below the low-battery threshold into a row of the table.</summary>
    private sealed class LowBatteryRows(GoldCourseWriter writer, string courseId) : IFixSink
    {
        private readonly HashSet<string> _rounds = new(StringComparer.Ordinal);

        public int Rounds => _rounds.Count;

        public void Add(string roundId, in TelemetryFix fix)
        {
            if (fix.Battery is not (< BatteryThresholds.Low and var level)) return;
            _rounds.Add(roundId);
            writer.Row.Set("course_id", courseId);
            writer.Row.Set("round_id", roundId);
            writer.Row.SetTimestampMicros("fix_timestamp", fix.TimestampMicros);
            writer.Row.Set("battery_percentage", level);
            writer.Row.Set("health_flag", BatteryThresholds.FlagOf(level));
            writer.EndRow();
        }

        public ValueTask FlushAsync(CancellationToken cancellationToken) => writer.FlushAsync(cancellationToken);
    }
}
