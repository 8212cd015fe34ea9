namespace TmLakehouse.Assets.Models;

/// <summary>
/// When a model should be materialized without being asked: <c>none</c> (only when selected), <c>eager</c> (after any of its
/// upstreams is materialized) or <c>cron: "m h dom mon dow"</c> (on a schedule).
/// </summary>
public sealed record SqlModelAutomation(string Kind, string? Cron = null)
{
    public static SqlModelAutomation None { get; } = new("none");
    public static SqlModelAutomation Eager { get; } = new("eager");

    public override string ToString() => Cron is null ? Kind : $"cron: {Cron}";
}
