using Cronos;

namespace TmLakehouse.Orchestrator.Schedules;

/// <summary>Reading cron expressions (UTC) the one way schedules and automation conditions share.</summary>
public static class CronTicks
{
    /// <summary>A five-field cron, or six fields with seconds first; a CronFormatException otherwise.</summary>
    public static CronExpression Parse(string cron) =>
        CronExpression.Parse(cron, cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);

    /// <summary>The latest occurrence at or before <paramref name="at"/>: the tick a late-firing job stands for.</summary>
    public static DateTimeOffset? LatestAtOrBefore(CronExpression expression, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(expression);
        // Widen the window step by step so an every-minute cron does not enumerate a year of occurrences.
        foreach (var window in new[] { TimeSpan.FromHours(1), TimeSpan.FromDays(1), TimeSpan.FromDays(32), TimeSpan.FromDays(400) })
        {
            var latest = expression.GetOccurrences(at - window, at, TimeZoneInfo.Utc, fromInclusive: true, toInclusive: true).LastOrDefault();
            if (latest != default) return latest;
        }
        return null;
    }
}
