using Lakehouse.Core.Instance;

namespace TmLakehouse.Dashboard.Web;

/// <summary>One word for the latest state of an asset or partition, which is also its CSS colour class.</summary>
internal static class AssetStatus
{
    public const string Never = "never";

    public static string Of(MaterializationState state) => state switch
    {
        MaterializationState.Materialized => "materialized",
        MaterializationState.Failed => "failed",
        MaterializationState.Canceled => "canceled",
        _ => "running",
    };

    /// <summary>Partition counts keyed by <see cref="Of"/>'s word, in name order.</summary>
    public static IReadOnlyDictionary<string, int> Counts(AssetStatusCounts counts) =>
        counts.States.OrderBy(s => Of(s.Key), StringComparer.Ordinal).ToDictionary(s => Of(s.Key), s => s.Value);

    /// <summary>An asset's colour: failed if any partition failed, running if any runs, materialized if any is, else never.</summary>
    public static string Summary(AssetStatusCounts counts)
    {
        var states = counts.States.Keys;
        return states.Contains(MaterializationState.Failed) ? "failed"
            : states.Contains(MaterializationState.Running) ? "running"
            : states.Contains(MaterializationState.Materialized) ? "materialized"
            : Never;
    }
}
