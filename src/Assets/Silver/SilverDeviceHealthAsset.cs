using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Quality;
using Lakehouse.Core.Tables;
using TmLakehouse.Assets.Bronze;

namespace TmLakehouse.Assets.Silver;

/// <summary>
/// <c>silver/fact_device_health</c>: one row per round with captureLogs. Its rows are written by the
/// <see cref="SilverTelemetryAsset"/> step in the same read of Bronze (reading a 1 GB export twice would double the cost);
/// this step checks and reports what that commit left for the partition.
/// </summary>
public sealed class SilverDeviceHealthAsset : IAsset
{
    public static AssetKey Key { get; } = new("silver/fact_device_health");

    public static AssetDefinition Definition { get; } = new(
        new AssetSpec(Key)
        {
            Description = "Device capture logs, one row per round with non-empty captureLogs (written in the fact_telemetry_event pass).",
            Partitions = BronzePartitions.CourseByIngestDate,
            Deps = [new AssetDependency(SilverTelemetryAsset.Key)],
            Checks = [new AssetCheckSpec("not_null_round_id", "Every device-health row has a round_id.")],
        },
        new SilverDeviceHealthAsset());

    public async Task<MaterializeResult> MaterializeAsync(AssetExecutionContext context, CancellationToken cancellationToken)
    {
        var courseId = context.PartitionValue(BronzePartitions.CourseDimension);
        var ingestDate = BronzePartitions.ParseIngestDate(context.PartitionValue(BronzePartitions.IngestDateDimension));
        var table = await context.Resources.Tables.CreateOrLoadAsync(SilverTables.DeviceHealth, cancellationToken);
        long rows = 0, entries = 0, nullIds = 0;
        var scan = new TableScan
        {
            Filter = RowFilter.Where(("course_id", courseId), ("ingest_date", ingestDate)),
            Columns = ["round_id", "entry_count"],
        };
        await foreach (var batch in table.ScanAsync(scan, cancellationToken))
        {
            var ids = (Apache.Arrow.StringArray)batch.Column("round_id");
            var counts = (Apache.Arrow.Int32Array)batch.Column("entry_count");
            rows += batch.Length;
            nullIds += ids.NullCount;
            for (var i = 0; i < batch.Length; i++) entries += counts.GetValue(i) ?? 0;
        }
        var snapshot = (await table.HistoryAsync(cancellationToken)).LastOrDefault(s => s.IsCurrent);
        context.Log.Information("{table} holds {row_count} rows for {partition}", table.Id.ToString(), rows, context.Partition?.Value);
        return new MaterializeResult
        {
            Metadata = new Dictionary<string, MetadataValue>
            {
                ["rows_out"] = MetadataValue.Int(rows),
                ["log_entries"] = MetadataValue.Int(entries),
                ["table"] = MetadataValue.Text(table.Id.ToString()),
                ["snapshot_id"] = MetadataValue.Int(snapshot?.SnapshotId ?? -1),
                ["schema"] = MetadataValue.TableSchema(table.Schema.Fields.Select(f => new TableColumnInfo(f.Name, f.Type.ToString().ToLowerInvariant(), !f.Required))),
            },
            CheckResults = [new AssetCheckResult("not_null_round_id", nullIds == 0) { Description = $"{nullIds} row(s) without round_id" }],
        };
    }
}
