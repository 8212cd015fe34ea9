using System.Globalization;
using Lakehouse.Core.Partitions;

namespace TmLakehouse.Orchestrator.Schedules;

/// <summary>Ready-made partition pickers for schedules.</summary>
public static class SchedulePartitions
{
    /// <summary>
    /// The registered composite keys of <paramref name="registeredKeysName"/> (e.g. course_id=..,ingest_date=..) whose
    /// <paramref name="dateDimension"/> is the tick's UTC date minus <paramref name="daysBefore"/>: every course that landed data that day.
    /// </summary>
    public static ScheduledPartitions LandedOn(string registeredKeysName, string dateDimension = "ingest_date", int daysBefore = 1) =>
        async (tick, keys, ct) =>
        {
            var day = DateOnly.FromDateTime(tick.UtcDateTime.Date).AddDays(-daysBefore).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var registered = await keys.GetDynamicPartitionKeysAsync(registeredKeysName, ct);
            return registered.Where(k => new PartitionKey(k).Dimensions.TryGetValue(dateDimension, out var value) && value == day)
                .Order(StringComparer.Ordinal).ToList();
        };
}
