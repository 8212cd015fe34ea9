using System.Globalization;
using Hangfire;
using Hangfire.Storage;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Partitions;
using TmLakehouse.Orchestrator.Execution;

namespace TmLakehouse.Orchestrator.Schedules;

/// <summary>
/// Evaluates schedule ticks: checks on/off, computes partitions, launches the run with tags {schedule, tick} and records a
/// <see cref="TickRecord"/> (launched, skipped, disabled or failed). Hangfire recurring jobs call <see cref="TickAsync(string, CancellationToken)"/>.
/// </summary>
/// <remarks>
/// Missed ticks: the recurring jobs use <see cref="MisfireHandlingMode.Relaxed"/>, so after downtime each schedule fires once,
/// for its most recent missed occurrence, not once per missed occurrence; the tick evaluated is the latest cron occurrence at or
/// before the moment the job runs.
/// </remarks>
public sealed class ScheduleRunner(ScheduleCatalog catalog, LakehouseInstance instance, IPartitionKeySource keys, RunCoordinator coordinator, TimeProvider clock, Serilog.ILogger log)
{
    public const string RecurringJobPrefix = "schedule:";

    public ScheduleCatalog Catalog => catalog;

    /// <summary>The Hangfire job: evaluates the tick the current time stands for (the latest cron occurrence at or before now).</summary>
    public Task<TickRecord> TickAsync(string name, CancellationToken cancellationToken)
    {
        var schedule = catalog.Get(name);
        var now = clock.GetUtcNow();
        return EvaluateAsync(schedule, schedule.LatestAtOrBefore(now) ?? now, cancellationToken);
    }

    /// <summary>Evaluates one tick of a schedule and records it.</summary>
    public async Task<TickRecord> EvaluateAsync(ScheduleDefinition schedule, DateTimeOffset tick, CancellationToken cancellationToken)
    {
        TickRecord record;
        if (!await IsEnabledAsync(schedule, cancellationToken))
        {
            record = new TickRecord(schedule.Name, tick, TickStatus.Disabled);
        }
        else
        {
            try
            {
                record = await LaunchAsync(schedule, tick, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.Warning(ex, "Schedule {schedule} tick {tick} failed", schedule.Name, tick);
                record = new TickRecord(schedule.Name, tick, TickStatus.Failed) { Error = ex.Message };
            }
        }
        await instance.Scheduling.AddTickAsync(record, cancellationToken);
        log.Information("Schedule {schedule} tick {tick}: {status}", schedule.Name, tick, record.Status);
        return record;
    }

    public async Task<bool> IsEnabledAsync(ScheduleDefinition schedule, CancellationToken cancellationToken) =>
        await instance.Scheduling.GetEnabledAsync(schedule.Name, cancellationToken) ?? schedule.DefaultEnabled;

    public DateTimeOffset? NextTick(ScheduleDefinition schedule) => schedule.NextAfter(clock.GetUtcNow());

    /// <summary>Adds or updates one recurring job per schedule (UTC, relaxed misfires) and removes jobs of schedules that no longer exist.</summary>
    public static void RegisterRecurringJobs(JobStorage storage, ScheduleCatalog catalog)
    {
        var manager = new RecurringJobManager(storage);
        foreach (var schedule in catalog.All)
        {
            var name = schedule.Name;
            manager.AddOrUpdate<ScheduleRunner>(RecurringJobPrefix + name, r => r.TickAsync(name, CancellationToken.None), schedule.Cron,
                new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc, MisfireHandling = MisfireHandlingMode.Relaxed });
        }
        using var connection = storage.GetConnection();
        foreach (var job in connection.GetRecurringJobs())
            if (job.Id.StartsWith(RecurringJobPrefix, StringComparison.Ordinal) && !catalog.TryGet(job.Id[RecurringJobPrefix.Length..], out _))
                manager.RemoveIfExists(job.Id);
    }

    private async Task<TickRecord> LaunchAsync(ScheduleDefinition schedule, DateTimeOffset tick, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> partitions = [];
        if (schedule.Partitions is not null)
        {
            partitions = await schedule.Partitions(tick, keys, cancellationToken);
            if (partitions.Count == 0)
                return new TickRecord(schedule.Name, tick, TickStatus.Skipped) { Error = "No partitions to materialize for this tick." };
        }
        var request = new RunRequest(schedule.Selection)
        {
            Partitions = partitions,
            Tags = new Dictionary<string, string>
            {
                ["schedule"] = schedule.Name,
                ["tick"] = tick.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            },
        };
        var runId = await coordinator.LaunchAsync(request, cancellationToken);
        return new TickRecord(schedule.Name, tick, TickStatus.Launched) { RunIds = [runId] };
    }
}
