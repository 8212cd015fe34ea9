using Lakehouse.Core.Assets;
using TmLakehouse.Assets.Bronze;
using TmLakehouse.Assets.Gold;
using TmLakehouse.Assets.Maintenance;
using TmLakehouse.Assets.Silver;

namespace TmLakehouse.Assets;

/// <summary>The one registry of every asset of the Tagmarshal lakehouse (schedules live beside them in the orchestrator).</summary>
public static class Definitions
{
    public static IReadOnlyList<AssetDefinition> All() =>
    [
        BronzeRoundsRawAsset.Definition,
        SilverTelemetryAsset.Definition,
        .. GoldAssets.All,
        .. MaintenanceAssets.All,
    ];
}
