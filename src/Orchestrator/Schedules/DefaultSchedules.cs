namespace TmLakehouse.Orchestrator.Schedules;

/// <summary>The lakehouse's schedules: Bronze→Gold every night for yesterday's landed data, and weekly table maintenance.</summary>
public static class DefaultSchedules
{
    public static IReadOnlyList<ScheduleDefinition> All() =>
    [
        // 02:00 UTC: every course that landed data yesterday (the rounds_raw registered keys with that ingest_date), downstream to Gold.
        new("daily_bronze_to_gold", "0 2 * * *", "bronze/rounds_raw+", SchedulePartitions.LandedOn("rounds_raw")),
        new("weekly_maintenance", "0 3 * * 0", "group:maintenance", null),
    ];
}
