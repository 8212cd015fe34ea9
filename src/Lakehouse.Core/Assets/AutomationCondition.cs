namespace Lakehouse.Core.Assets;

/// <summary>How an automation condition decides.</summary>
public enum AutomationKind { Eager, OnCron, Missing }

/// <summary>
/// When an asset's partitions are materialized without anyone asking (Dagster's automation conditions): <see cref="Eager"/>
/// after an upstream partition it reads was updated, <see cref="OnCron"/> once per cron tick when every upstream has been
/// updated since the tick, <see cref="Missing"/> when never materialized. An asset without one is materialized only on request.
/// </summary>
public sealed record AutomationCondition(AutomationKind Kind, string? Cron = null)
{
    public static AutomationCondition Eager { get; } = new(AutomationKind.Eager);
    public static AutomationCondition Missing { get; } = new(AutomationKind.Missing);

    /// <summary>A five-field (minute hour day-of-month month day-of-week) or six-field (with seconds first) UTC cron.</summary>
    public static AutomationCondition OnCron(string cron) =>
        string.IsNullOrWhiteSpace(cron) ? throw new ArgumentException("OnCron needs a cron expression.", nameof(cron)) : new(AutomationKind.OnCron, cron.Trim());

    public override string ToString() => Kind switch
    {
        AutomationKind.OnCron => $"on_cron({Cron})",
        AutomationKind.Eager => "eager",
        _ => "missing",
    };
}
