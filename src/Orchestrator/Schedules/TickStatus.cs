namespace TmLakehouse.Orchestrator.Schedules;

/// <summary>The statuses a schedule tick is recorded with (<see cref="Lakehouse.Core.Instance.TickRecord.Status"/>).</summary>
public static class TickStatus
{
    public const string Launched = "launched";
    /// <summary>The tick found nothing to do (no partitions); the reason is in the tick's Error.</summary>
    public const string Skipped = "skipped";
    public const string Disabled = "disabled";
    public const string Failed = "failed";
}
