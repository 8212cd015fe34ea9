using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Objects;

namespace TmLakehouse.Assets.Maintenance;

/// <summary><c>maintenance/quarantine_retention</c>: deletes quarantine reports and rejected rows older than the retention period (90 days).</summary>
public sealed class QuarantineRetentionAsset : IAsset
{
    public static TimeSpan Retention { get; } = TimeSpan.FromDays(90);

    public static AssetDefinition Definition { get; } = new(
        MaintenanceAssets.Spec("quarantine_retention", "Deletes quarantine reports and rejected rows older than 90 days.", RemoveOrphanFilesAsset.Definition.Key),
        new QuarantineRetentionAsset());

    public async Task<MaterializeResult> MaterializeAsync(AssetExecutionContext context, CancellationToken cancellationToken)
    {
        var store = context.Resources.Objects.For(Layers.Quarantine);
        var cutoff = context.Clock.GetUtcNow() - Retention;
        long before = 0, deleted = 0, bytes = 0;
        var expired = new List<ObjectInfo>();
        await foreach (var item in store.ListAsync("", cancellationToken))
        {
            before++;
            if (item.LastModified < cutoff) expired.Add(item);
        }
        foreach (var item in expired)
        {
            await store.DeleteAsync(item.Key, cancellationToken);
            deleted++;
            bytes += item.Size;
        }
        return new MaterializeResult
        {
            Metadata = new Dictionary<string, MetadataValue>
            {
                ["files_before"] = MetadataValue.Int(before),
                ["files_after"] = MetadataValue.Int(before - deleted),
                ["bytes_reclaimed"] = MetadataValue.Int(bytes),
                ["retention_days"] = MetadataValue.Int((long)Retention.TotalDays),
            },
        };
    }
}
