using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Tables;

namespace TmLakehouse.Assets.Maintenance;

/// <summary>
/// The maintenance group, run in this order by one selection (<c>group:maintenance</c>): compact small files, expire old
/// snapshots, remove orphan files, then drop old quarantine reports. Each reports files before/after and bytes reclaimed.
/// </summary>
public static class MaintenanceAssets
{
    public const string Group = "maintenance";

    /// <summary>The table namespaces maintenance looks after.</summary>
    public static IReadOnlyList<string> Namespaces { get; } = ["silver", "gold"];

    public static IReadOnlyList<AssetDefinition> All =>
    [
        CompactTablesAsset.Definition,
        ExpireSnapshotsAsset.Definition,
        RemoveOrphanFilesAsset.Definition,
        QuarantineRetentionAsset.Definition,
    ];

    internal static AssetSpec Spec(string name, string description, AssetKey? after) => new(new AssetKey($"maintenance/{name}"))
    {
        Group = Group,
        Description = description,
        Deps = after is null ? [] : [new AssetDependency(after)],
    };

    /// <summary>Every Silver and Gold table that exists now.</summary>
    internal static async Task<IReadOnlyList<TableIdentifier>> TablesAsync(AssetExecutionContext context, CancellationToken cancellationToken)
    {
        var tables = new List<TableIdentifier>();
        foreach (var ns in Namespaces) tables.AddRange(await context.Resources.Tables.ListTablesAsync(ns, cancellationToken));
        return tables;
    }

    /// <summary>Per-table figures as one JSON metadata entry plus totals.</summary>
    internal static MaterializeResult Result(IReadOnlyList<object> perTable, params (string Key, long Value)[] totals)
    {
        var metadata = new Dictionary<string, MetadataValue> { ["tables"] = MetadataValue.Json(perTable), ["table_count"] = MetadataValue.Int(perTable.Count) };
        foreach (var (key, value) in totals) metadata[key] = MetadataValue.Int(value);
        return new MaterializeResult { Metadata = metadata };
    }
}
