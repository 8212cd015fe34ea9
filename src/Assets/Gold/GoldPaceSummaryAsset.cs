using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;

namespace TmLakehouse.Assets.Gold;

/// <summary><c>gold/pace_summary_by_round</c>: each round's span, fix count and average pace figures.</summary>
public sealed class GoldPaceSummaryAsset : IAsset
{
    public static AssetDefinition Definition { get; } = new(
        GoldAssets.SpecOf(GoldTables.PaceSummaryByRound, "Per round: start, end, fix count, average pace, pace gap and positional gap."),
        new GoldPaceSummaryAsset());

    public Task<MaterializeResult> MaterializeAsync(AssetExecutionContext context, CancellationToken cancellationToken) =>
        GoldRoundTable.MaterializeAsync(context, GoldTables.PaceSummaryByRound, GoldRoundRows.PaceSummary, cancellationToken);
}
