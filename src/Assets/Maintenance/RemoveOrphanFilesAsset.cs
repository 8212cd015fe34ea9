using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Tables.Iceberg;

namespace TmLakehouse.Assets.Maintenance;

/// <summary><c>maintenance/remove_orphan_files</c>: deletes files under a table that nothing references, once older than the 3-day safety window.</summary>
public sealed class RemoveOrphanFilesAsset : IAsset
{
    public static AssetDefinition Definition { get; } = new(
        MaintenanceAssets.Spec("remove_orphan_files", "Deletes unreferenced files under each table older than 3 days (younger ones may belong to a commit in flight).",
            ExpireSnapshotsAsset.Definition.Key),
        new RemoveOrphanFilesAsset());

    public async Task<MaterializeResult> MaterializeAsync(AssetExecutionContext context, CancellationToken cancellationToken)
    {
        var maintenance = new TableMaintenance(context.Resources.Tables);
        var reports = new List<OrphanFilesReport>();
        foreach (var table in await MaintenanceAssets.TablesAsync(context, cancellationToken))
            reports.Add(await maintenance.RemoveOrphanFilesAsync(table, TableMaintenance.DefaultOrphanAge, cancellationToken));
        return MaintenanceAssets.Result(
            reports.Select(r => (object)new { table = r.Table.ToString(), r.FilesBefore, r.FilesAfter, r.OrphansDeleted, r.YoungOrphansKept, r.BytesReclaimed }).ToList(),
            ("files_before", reports.Sum(r => (long)r.FilesBefore)), ("files_after", reports.Sum(r => (long)r.FilesAfter)),
            ("orphans_deleted", reports.Sum(r => (long)r.OrphansDeleted)), ("bytes_reclaimed", reports.Sum(r => r.BytesReclaimed)));
    }
}
