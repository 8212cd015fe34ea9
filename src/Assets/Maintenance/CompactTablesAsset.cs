using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Tables.Iceberg;

namespace TmLakehouse.Assets.Maintenance;

/// <summary><c>maintenance/compact_tables</c>: rewrites each partition's small files into files of about the target size (same rows, fewer files).</summary>
public sealed class CompactTablesAsset : IAsset
{
    public const long TargetFileSizeBytes = 128L * 1024 * 1024;

    public static AssetDefinition Definition { get; } = new(
        MaintenanceAssets.Spec("compact_tables", "Compacts small data files per partition of every Silver and Gold table to ~128 MB files.", null),
        new CompactTablesAsset());

    public async Task<MaterializeResult> MaterializeAsync(AssetExecutionContext context, CancellationToken cancellationToken)
    {
        var maintenance = new TableMaintenance(context.Resources.Tables);
        var reports = new List<CompactionReport>();
        foreach (var table in await MaintenanceAssets.TablesAsync(context, cancellationToken))
        {
            var report = await maintenance.CompactAsync(table, TargetFileSizeBytes, cancellationToken);
            context.Log.Information("Compacted {table}: {files_before} -> {files_after} files", table.ToString(), report.FilesBefore, report.FilesAfter);
            reports.Add(report);
        }
        return MaintenanceAssets.Result(
            reports.Select(r => (object)new { table = r.Table.ToString(), SnapshotId = r.SnapshotId?.ToString(System.Globalization.CultureInfo.InvariantCulture), r.FilesBefore, r.FilesAfter, r.BytesBefore, r.BytesAfter, r.PartitionsCompacted }).ToList(),
            ("files_before", reports.Sum(r => (long)r.FilesBefore)), ("files_after", reports.Sum(r => (long)r.FilesAfter)),
            ("bytes_before", reports.Sum(r => r.BytesBefore)), ("bytes_after", reports.Sum(r => r.BytesAfter)));
    }
}
