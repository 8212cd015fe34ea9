using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;

namespace TmLakehouse.Assets.Gold;

/// <summary><c>gold/fact_rounds</c>: one row per round of a course, with its times, fixes, pace, battery and signal figures.</summary>
public sealed class GoldFactRoundsAsset : IAsset
{
    public static AssetDefinition Definition { get; } = new(
        GoldAssets.SpecOf(GoldTables.FactRounds, "One row per round: start/end, duration, fixes, holes and nines played, pace, battery, signal rates, round length."),
        new GoldFactRoundsAsset());

    public Task<MaterializeResult> MaterializeAsync(AssetExecutionContext context, CancellationToken cancellationToken) =>
        GoldRoundTable.MaterializeAsync(context, GoldTables.FactRounds, GoldRoundRows.FactRound, cancellationToken);
}
