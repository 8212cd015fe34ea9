using System.Diagnostics;
using Hangfire;
using Hangfire.Storage;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Sensors;
using TmLakehouse.Orchestrator.Execution;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Orchestrator.Sensors;

/// <summary>
/// Evaluates sensor ticks: one evaluation at a time per sensor across every process (a lease in the instance store), the run keys
/// checked in one query (a tick stores how many it skipped and a sample of why), new keys claimed with their run ids before the runs launch (all in one commit), the cursor saved and the tick recorded.
/// Hangfire recurring jobs call <see cref="TickFromJobAsync"/> in `tmlake serve` and every `tmlake worker`.
/// </summary>
/// <remarks>
/// Exactly once: a key is claimed (with the run id) before its run is stored, and the cursor only moves after the launches. A
/// process killed in between leaves a claimed key without a run; the next tick (after the lease ends) sees the same request again,
/// finds the claim and launches it under the same run id, so the run exists once.
/// </remarks>
public sealed class SensorRunner(SensorCatalog catalog, LakehouseResources resources, RunCoordinator coordinator, TimeProvider clock, Serilog.ILogger log)
{
    public const string RecurringJobPrefix = "sensor:";

    /// <summary>How a tick skipped because another process holds the sensor begins its reason.</summary>
    public const string LeaseHeldReason = "another process is evaluating";

    /// <summary>Called after each renewal of an evaluation's lease (tests wait on it with a fake clock).</summary>
    internal Action? LeaseRenewed { get; set; }

    private LakehouseInstance Instance => resources.Instance;

    public SensorCatalog Catalog => catalog;

    /// <summary>The Hangfire job: a tick when the sensor is on and its minimum interval has passed; never retried (the next tick is the retry).</summary>
    [AutomaticRetry(Attempts = 0)]
    public async Task TickFromJobAsync(string name, CancellationToken cancellationToken)
    {
        if (!catalog.TryGet(name, out var sensor) || !await IsEnabledAsync(sensor, cancellationToken)) return;
        var last = (await Instance.Sensors.GetTicksAsync(name, 1, cancellationToken)).FirstOrDefault();
        // A little slack, so a job fired on the interval is not skipped for being a few milliseconds early.
        if (last is not null && clock.GetUtcNow() - last.StartedAt < sensor.MinimumInterval - TimeSpan.FromMilliseconds(500)) return;
        await EvaluateAsync(sensor, dryRun: false, cancellationToken);
    }

    public async Task<bool> IsEnabledAsync(SensorDefinition sensor, CancellationToken cancellationToken) =>
        await Instance.Scheduling.GetEnabledAsync(sensor.Name, cancellationToken) ?? sensor.DefaultEnabled;

    /// <summary>Evaluates once now, on or off (`tmlake sensors tick`); a dry run launches and writes nothing and takes no lease.</summary>
    public async Task<SensorEvaluation> EvaluateAsync(SensorDefinition sensor, bool dryRun, CancellationToken cancellationToken)
    {
        if (dryRun) return await DryRunAsync(sensor, cancellationToken);
        var startedAt = clock.GetUtcNow();
        await using var lease = await EvaluationLease.TryTakeAsync(Instance.Sensors, sensor.Name, sensor.Lease, clock, cancellationToken, LeaseRenewed);
        if (lease is null)
        {
            // Recorded, so a sensor that seems idle because another process holds it (perhaps one that died) shows why.
            var held = new SensorTick(sensor.Name, startedAt, SensorTickStatus.Skipped) { Reason = $"{LeaseHeldReason} {sensor.Name}; this tick was left to it" };
            held = held with { Id = await Instance.Sensors.AddTickAsync(held, startedAt - sensor.TickRetention, CancellationToken.None) };
            return new SensorEvaluation(held, held.Reason);
        }
        var started = clock.GetTimestamp();
        SensorTick tick;
        try
        {
            tick = await TickAsync(sensor, startedAt, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.Warning(ex, "Sensor {sensor} tick failed", sensor.Name);
            tick = new SensorTick(sensor.Name, startedAt, SensorTickStatus.Failed) { Reason = ex.Message };
        }
        tick = tick with { Duration = clock.GetElapsedTime(started) };
        tick = tick with { Id = await Instance.Sensors.AddTickAsync(tick, startedAt - sensor.TickRetention, CancellationToken.None) };
        log.Information("Sensor {sensor} tick: {status} {runs} {reason}", sensor.Name, tick.Status, tick.RunIds, tick.Reason);
        return new SensorEvaluation(tick, null);
    }

    private async Task<SensorTick> TickAsync(SensorDefinition sensor, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        var cursor = await Instance.Scheduling.GetCursorAsync(sensor.Name, cancellationToken);
        var result = await sensor.Evaluate(new SensorContext(sensor.Name, cursor, resources, clock), cancellationToken);
        var (launch, skips, skipped) = await SortAsync(sensor, result.RunRequests, SensorTick.SkipSampleSize, cancellationToken);

        var claims = launch.Where(l => l.Claimed is null).Select(l => (l.Request.RunKey, l.RunId)).ToList();
        var claimed = await Instance.Sensors.ClaimRunKeysAsync(sensor.Name, claims, startedAt, cancellationToken);
        var runIds = new List<string>();
        var errors = new List<string>(result.Errors);
        var launchFailed = false;
        var prepared = new List<(SensorRunRequest Request, string RunId, RunRequest Run)>();
        foreach (var (request, runId, before) in launch)
        {
            // Only a process whose heartbeat stalled past the lease meets a key another process claimed in between: that one launches it.
            if (before is null && !claimed.Contains(request.RunKey))
            {
                if (skipped++ < SensorTick.SkipSampleSize) skips.Add($"{request.RunKey}: claimed by another process during this tick");
                continue;
            }
            try
            {
                var run = request.Prepare is null ? request.Request : await request.Prepare(runId, cancellationToken);
                prepared.Add((request, runId, run with { Tags = new Dictionary<string, string>(run.Tags) { ["sensor"] = sensor.Name, ["run_key"] = request.RunKey } }));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await NotLaunchedAsync(request.RunKey, ex);
            }
        }
        // Every run of the tick in one commit.
        IReadOnlyList<Exception?> refused;
        try
        {
            refused = await coordinator.LaunchManyAsync(prepared.Select(p => (p.Run, p.RunId)).ToList(), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            refused = prepared.Select(_ => ex).ToList();
        }
        for (var i = 0; i < prepared.Count; i++)
            if (refused[i] is { } ex) await NotLaunchedAsync(prepared[i].Request.RunKey, ex);
            else runIds.Add(prepared[i].RunId);

        // Not launched: the key is given back, so a corrected definition or input can request it again.
        async Task NotLaunchedAsync(string runKey, Exception ex)
        {
            log.Warning(ex, "Sensor {sensor} could not launch {runKey}", sensor.Name, runKey);
            errors.Add($"{runKey}: {ex.Message}");
            launchFailed = true;
            await Instance.Sensors.ReleaseRunKeyAsync(sensor.Name, runKey, CancellationToken.None);
        }

        // A cursor past a request that did not launch would never ask for it again (a manifest silently dropped): it moves
        // only when every launch went in, and the failed key (given back above) is requested again by the next tick.
        if (result.Cursor is not null && !launchFailed) await Instance.Scheduling.SetCursorAsync(sensor.Name, result.Cursor, cancellationToken);

        var status = errors.Count > 0 ? SensorTickStatus.Failed : runIds.Count > 0 ? SensorTickStatus.Launched : SensorTickStatus.Skipped;
        var reason = errors.Count > 0 ? string.Join("; ", errors)
            : runIds.Count > 0 ? null
            : result.SkipReason ?? (skipped > 0 ? $"{skipped} run key(s) already requested" : "nothing to request");
        return new SensorTick(sensor.Name, startedAt, status) { RunIds = runIds, Skips = skips, Skipped = skipped, Reason = reason, Cursor = launchFailed ? cursor : result.Cursor ?? cursor };
    }

    /// <summary>
    /// Splits requests into those to launch (new, or claimed by a launch that was cut short) and recorded skips, with one query for
    /// every key. Only the first <paramref name="sample"/> skips get a text; the rest are counted.
    /// </summary>
    private async Task<(List<(SensorRunRequest Request, string RunId, SensorRunKey? Claimed)> Launch, List<string> Skips, int Skipped)> SortAsync(
        SensorDefinition sensor, IReadOnlyList<SensorRunRequest> requests, int sample, CancellationToken cancellationToken)
    {
        var keys = new List<string>(requests.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var request in requests)
            if (seen.Add(request.RunKey)) keys.Add(request.RunKey);
        var lookup = await Instance.Sensors.LookUpRunKeysAsync(sensor.Name, keys, sample, cancellationToken);
        var claimed = lookup.Claimed.ToDictionary(k => k.RunKey, StringComparer.Ordinal);
        var sampled = lookup.LaunchedSample.ToDictionary(k => k.RunKey, k => k.RunId, StringComparer.Ordinal);
        var launch = new List<(SensorRunRequest, string, SensorRunKey?)>();
        var skips = new List<string>();
        var skipped = 0;
        seen.Clear();
        foreach (var request in requests)
        {
            var twice = !seen.Add(request.RunKey);
            if (!twice && lookup.New.Contains(request.RunKey)) launch.Add((request, RunIds.New(), null));
            else if (!twice && claimed.TryGetValue(request.RunKey, out var cut)) launch.Add((request, cut.RunId, cut));
            // Texts only for the sample; the rest are counted. The lookup returned the run ids of the first keys asked: a launched
            // key further on (after new ones) is named without its run.
            else if (skipped++ < sample)
                skips.Add(twice ? $"{request.RunKey}: requested twice in this tick"
                    : sampled.TryGetValue(request.RunKey, out var runId) ? $"{request.RunKey}: already requested (run {runId})" : $"{request.RunKey}: already requested");
        }
        return (launch, skips, skipped);
    }

    private async Task<SensorEvaluation> DryRunAsync(SensorDefinition sensor, CancellationToken cancellationToken)
    {
        var cursor = await Instance.Scheduling.GetCursorAsync(sensor.Name, cancellationToken);
        var result = await sensor.Evaluate(new SensorContext(sensor.Name, cursor, resources, clock) { DryRun = true }, cancellationToken);
        var (launch, skips, _) = await SortAsync(sensor, result.RunRequests, int.MaxValue, cancellationToken);
        return new SensorEvaluation(null, result.SkipReason)
        {
            WouldLaunch = launch.Select(l => (l.Request.RunKey, l.Request.Request.Selection, l.Request.Request.Partitions)).ToList(),
            WouldSkip = skips,
            Errors = result.Errors,
        };
    }

    /// <summary>
    /// One recurring job per sensor on the ticks queue (<see cref="RuntimeRole.TicksQueue"/>), firing at its minimum interval (seconds below a minute, else every minute; the job itself
    /// honours longer intervals), and removes jobs of sensors that no longer exist.
    /// </summary>
    public static void RegisterRecurringJobs(JobStorage storage, SensorCatalog catalog)
    {
        var manager = new RecurringJobManager(storage);
        foreach (var sensor in catalog.All)
        {
            var name = sensor.Name;
            manager.AddOrUpdate<SensorRunner>(RecurringJobPrefix + name, RuntimeRole.TicksQueue, r => r.TickFromJobAsync(name, CancellationToken.None), CronOf(sensor.MinimumInterval),
                new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc, MisfireHandling = MisfireHandlingMode.Relaxed });
        }
        using var connection = storage.GetConnection();
        foreach (var job in connection.GetRecurringJobs())
            if (job.Id.StartsWith(RecurringJobPrefix, StringComparison.Ordinal) && !catalog.TryGet(job.Id[RecurringJobPrefix.Length..], out _))
                manager.RemoveIfExists(job.Id);
    }

    /// <summary>A six-field (seconds) cron for intervals under a minute that divide it, else every minute.</summary>
    public static string CronOf(TimeSpan interval)
    {
        var seconds = (int)Math.Max(1, interval.TotalSeconds);
        return seconds < 60 && 60 % seconds == 0 ? $"*/{seconds} * * * * *" : "* * * * *";
    }
}
