using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;

namespace TmLakehouse.Assets.Gold;

/// <summary><c>gold/signal_quality_rounds</c>: each round's projected and problem fixes and their rates.</summary>
public sealed class GoldSignalQualityAsset : IAsset
{
    public static AssetDefinition Definition { get; } = new(
        GoldAssets.SpecOf(GoldTables.SignalQualityRounds, "Per round: fix count, projected and problem fix counts and rates."),
        new GoldSignalQualityAsset());

    public Task<MaterializeResult> MaterializeAsync(AssetExecutionContext context, CancellationToken cancellationToken) =>
        GoldRoundTable.MaterializeAsync(context, GoldTables.SignalQualityRounds, GoldRoundRows.SignalQuality, cancellationToken);
}
