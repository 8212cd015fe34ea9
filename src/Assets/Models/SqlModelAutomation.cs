using Lakehouse.Core.Assets;

namespace TmLakehouse.Assets.Models;

/// <summary>
/// When a model should be materialized without being asked: <c>none</c> (only when selected), <c>eager</c> (after any of its
/// upstreams is materialized) or <c>cron: "m h dom mon dow"</c> (on a schedule). Silver and Gold models are eager unless their header says otherwise.
/// </summary>
public sealed record SqlModelAutomation(string Kind, string? Cron = null)
{
    public static SqlModelAutomation None { get; } = new("none");
    public static SqlModelAutomation Eager { get; } = new("eager");

    /// <summary>Silver and Gold models follow their upstreams unless their header says otherwise; other layers only when asked.</summary>
    public static SqlModelAutomation DefaultFor(string layer) => layer is "silver" or "gold" ? Eager : None;

    /// <summary>The asset's automation condition; null for <c>none</c>.</summary>
    public AutomationCondition? ToCondition() => Kind switch
    {
        "eager" => AutomationCondition.Eager,
        "cron" => AutomationCondition.OnCron(Cron!),
        _ => null,
    };

    public override string ToString() => Cron is null ? Kind : $"cron: {Cron}";
}
