using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Tables.Iceberg;

namespace TmLakehouse.Assets.Maintenance;

/// <summary><c>maintenance/expire_snapshots</c>: drops snapshots beyond the newest few that are also older than a week, then the files only they used.</summary>
public sealed class ExpireSnapshotsAsset : IAsset
{
    public const int KeepLast = 5;
    public static TimeSpan MaxAge { get; } = TimeSpan.FromDays(7);

    public static AssetDefinition Definition { get; } = new(
        MaintenanceAssets.Spec("expire_snapshots", $"Expires snapshots beyond the newest {KeepLast} that are older than 7 days; deletes files no kept snapshot references.",
            CompactTablesAsset.Definition.Key),
        new ExpireSnapshotsAsset());

    public async Task<MaterializeResult> MaterializeAsync(AssetExecutionContext context, CancellationToken cancellationToken)
    {
        var maintenance = new TableMaintenance(context.Resources.Tables);
        var cutoff = context.Clock.GetUtcNow() - MaxAge;
        var reports = new List<ExpireSnapshotsReport>();
        foreach (var table in await MaintenanceAssets.TablesAsync(context, cancellationToken))
            reports.Add(await maintenance.ExpireSnapshotsAsync(table, KeepLast, cutoff, cancellationToken));
        return MaintenanceAssets.Result(
            reports.Select(r => (object)new { table = r.Table.ToString(), r.SnapshotsBefore, r.SnapshotsAfter, r.FilesBefore, r.FilesAfter, r.FilesDeleted, r.BytesReclaimed }).ToList(),
            ("snapshots_before", reports.Sum(r => (long)r.SnapshotsBefore)), ("snapshots_after", reports.Sum(r => (long)r.SnapshotsAfter)),
            ("files_before", reports.Sum(r => (long)r.FilesBefore)), ("files_after", reports.Sum(r => (long)r.FilesAfter)),
            ("bytes_reclaimed", reports.Sum(r => r.BytesReclaimed)));
    }
}
