using System.Text.Json;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Instance;

namespace TmLakehouse.Orchestrator.Automation;

/// <summary>An asset's automation as `tmlake automation show --json` and the asset page show it: its condition, on/off, the latest tick and every partition's decision.</summary>
public sealed record AutomationView(string Asset, string? Condition, bool Enabled, DateTimeOffset? EvaluatedAt, IReadOnlyList<AutomationDecisionView> Partitions)
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task<AutomationView> ReadAsync(AutomationDaemon daemon, LakehouseInstance instance, AssetKey asset, CancellationToken cancellationToken)
    {
        var condition = daemon.Graph.Spec(asset).Automation;
        var last = (await instance.Automation.GetTicksAsync(1, cancellationToken)).FirstOrDefault();
        var decisions = condition is null ? [] : await instance.Automation.GetDecisionsAsync(asset, cancellationToken);
        return new AutomationView(asset.Value, condition?.ToString(), await daemon.IsEnabledAsync(asset, cancellationToken), last?.StartedAt,
            decisions.Select(AutomationDecisionView.Of).ToList());
    }
}

/// <summary>One partition's decision.</summary>
public sealed record AutomationDecisionView(string? Partition, bool Requested, string Reason, string? RunId, DateTimeOffset DecidedAt)
{
    public static AutomationDecisionView Of(AutomationDecision d) => new(d.Partition?.Value, d.Requested, d.Reason, d.RunId, d.DecidedAt);
}
