using Cronos;

namespace TmLakehouse.Orchestrator.Schedules;

/// <summary>
/// A schedule: a cron expression (UTC, five fields), the selection it materializes, and how each tick picks partitions.
/// When <paramref name="Partitions"/> is null the run has no partition keys (for unpartitioned selections such as maintenance).
/// </summary>
/// <remarks>
/// Ticks are fired by Hangfire recurring jobs. After downtime Hangfire does not replay every missed tick: with
/// <c>MisfireHandlingMode.Relaxed</c> it fires once, for the most recent missed occurrence, and then resumes the cron.
/// A daily schedule down for three days therefore launches one run (for the latest day); earlier days need a backfill
/// (`tmlake materialize` with their partitions).
/// </remarks>
public sealed record ScheduleDefinition(string Name, string Cron, string Selection, ScheduledPartitions? Partitions, bool DefaultEnabled = true)
{
    public CronExpression Expression { get; } = ParseCron(Name, Cron);

    /// <summary>The first occurrence strictly after <paramref name="from"/>.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset from) => Expression.GetNextOccurrence(from, TimeZoneInfo.Utc);

    /// <summary>The latest occurrence at or before <paramref name="at"/>: the tick a late-firing job stands for.</summary>
    public DateTimeOffset? LatestAtOrBefore(DateTimeOffset at) => CronTicks.LatestAtOrBefore(Expression, at);

    private static CronExpression ParseCron(string name, string cron)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A schedule needs a name.", nameof(name));
        try
        {
            return CronExpression.Parse(cron);
        }
        catch (CronFormatException ex)
        {
            throw new ArgumentException($"Schedule '{name}': '{cron}' is not a five-field cron expression ({ex.Message}).", nameof(cron), ex);
        }
    }
}
