using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;

namespace TmLakehouse.Assets.Gold;

/// <summary>
/// <c>gold/device_health_errors</c>: every fix of a course whose battery is below 20 %, flagged low or critical (below 10 %).
/// Rows go out batch by batch as Silver streams in, so nothing per fix is held.
/// </summary>
public sealed class GoldDeviceHealthErrorsAsset : IAsset
{
    private static readonly IReadOnlyList<string> Columns = ["round_id", "fix_timestamp", "battery_percentage"];

    public static AssetDefinition Definition { get; } = new(
        GoldAssets.SpecOf(GoldTables.DeviceHealthErrors, "Fixes with battery below 20 %: battery_low, or battery_critical below 10 %."),
        new GoldDeviceHealthErrorsAsset());

    public async Task<MaterializeResult> MaterializeAsync(AssetExecutionContext context, CancellationToken cancellationToken)
    {
        var started = context.Clock.GetTimestamp();
        var courseId = context.PartitionValue(GoldAssets.CourseDimension);
        var tables = context.Resources.Tables;
        var rounds = new HashSet<string>(StringComparer.Ordinal);
        long rowsIn = 0;

        await using var writer = await GoldCourseWriter.OpenAsync(tables, GoldTables.DeviceHealthErrors, courseId, cancellationToken);
        await foreach (var batch in SilverTelemetryScan.ScanAsync(tables, courseId, Columns, cancellationToken))
        {
            var roundId = SilverTelemetryScan.Column(batch, "round_id");
            var timestamp = SilverTelemetryScan.Column(batch, "fix_timestamp");
            var battery = SilverTelemetryScan.Column(batch, "battery_percentage");
            for (var row = 0; row < batch.Length; row++, rowsIn++)
            {
                if (ArrowColumnReader.Double(battery, row) is not (< BatteryThresholds.Low and var level)) continue;
                var round = ArrowColumnReader.String(roundId, row)!;
                rounds.Add(round);
                writer.Row.Set("course_id", courseId);
                writer.Row.Set("round_id", round);
                writer.Row.SetTimestampMicros("fix_timestamp", ArrowColumnReader.TimestampMicros(timestamp, row));
                writer.Row.Set("battery_percentage", level);
                writer.Row.Set("health_flag", BatteryThresholds.FlagOf(level));
                await writer.EndRowAsync(cancellationToken);
            }
        }
        var commit = await writer.CommitAsync(context.SnapshotSummary, cancellationToken);

        var duration = context.Clock.GetElapsedTime(started);
        GoldMetadata.LogFor(context, courseId, writer.RowsWritten, duration).Information("Wrote {RowsOut} low-battery fix(es) of {Rounds} round(s) for course {CourseId} from {RowsIn} Silver row(s), snapshot {SnapshotId}",
            writer.RowsWritten, rounds.Count, courseId, rowsIn, commit.SnapshotId);
        return new MaterializeResult
        {
            Metadata = GoldMetadata.Of(writer.Table, commit, rowsIn, writer.RowsWritten, rounds.Count, duration),
        };
    }
}
