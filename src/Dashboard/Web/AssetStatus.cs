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

    /// <summary>An asset's colour: failed if any partition failed, running if any runs, materialized if any is, else never.</summary>
    public static string Summary(IEnumerable<AssetPartitionStatus> statuses)
    {
        var states = statuses.Select(s => s.State).ToHashSet();
        return states.Contains(MaterializationState.Failed) ? "failed"
            : states.Contains(MaterializationState.Running) ? "running"
            : states.Contains(MaterializationState.Materialized) ? "materialized"
            : Never;
    }
}
