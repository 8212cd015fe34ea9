using Cronos;
using Hangfire;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Partitions;
using TmLakehouse.Orchestrator.Execution;
using TmLakehouse.Orchestrator.Schedules;
using TmLakehouse.Orchestrator.Sensors;

namespace TmLakehouse.Orchestrator.Automation;

/// <summary>
/// The automation tick: one evaluation at a time across every process (a lease beside the sensors'), every automation condition
/// decided by <see cref="AutomationEvaluator"/> over inputs read in a handful of queries, at most one run launched per asset
/// group, and the decisions that changed stored with the tick. A Hangfire recurring job calls <see cref="TickFromJobAsync"/> in
/// `tmlake serve` and every `tmlake worker`.
/// </summary>
public sealed class AutomationDaemon(AssetGraph graph, LakehouseInstance instance, RunCoordinator coordinator, TimeProvider clock, Serilog.ILogger log)
{
    public const string RecurringJobId = "automation";
    public const string LeaseName = "automation";

    /// <summary>The tick's interval (a six-field cron fires the job); the job skips a tick that comes sooner.</summary>
    public static TimeSpan Interval { get; } = TimeSpan.FromSeconds(15);

    /// <summary>The evaluation's lease, renewed every third of it while a tick runs, so a killed ticker is taken over within it.</summary>
    public static TimeSpan Lease { get; } = TimeSpan.FromSeconds(15);
    public static TimeSpan TickRetention { get; } = TimeSpan.FromDays(7);

    private readonly AutomationEvaluator _evaluator = new(graph);
    private readonly Dictionary<string, CronExpression> _crons = graph.Assets.Select(graph.Spec)
        .Where(s => s.Automation?.Kind == AutomationKind.OnCron).Select(s => s.Automation!.Cron!).Distinct(StringComparer.Ordinal)
        .ToDictionary(c => c, ParseCron, StringComparer.Ordinal);

    /// <summary>The name under which an asset's automation is switched on or off (schedule_state, beside schedules and sensors).</summary>
    public static string SwitchName(AssetKey asset) => $"automation:{asset}";

    /// <summary>The assets with an automation condition, in topological order.</summary>
    public IReadOnlyList<AssetKey> AutomatedAssets => graph.InTopologicalOrder(graph.Assets).Where(a => graph.Spec(a).Automation is not null).ToList();

    public AssetGraph Graph => graph;

    /// <summary>Whether an asset's condition is on (automated assets are on until switched off).</summary>
    public async Task<bool> IsEnabledAsync(AssetKey asset, CancellationToken cancellationToken) =>
        graph.Spec(asset).Automation is not null && (await instance.Scheduling.GetEnabledAsync(SwitchName(asset), cancellationToken) ?? true);

    /// <summary>The Hangfire job: a tick unless the last one was less than <see cref="Interval"/> ago; never retried (the next tick is the retry).</summary>
    [AutomaticRetry(Attempts = 0)]
    public async Task TickFromJobAsync(CancellationToken cancellationToken)
    {
        var last = (await instance.Automation.GetTicksAsync(1, cancellationToken)).FirstOrDefault();
        if (last is not null && clock.GetUtcNow() - last.StartedAt < Interval - TimeSpan.FromMilliseconds(500)) return;
        await TickAsync(cancellationToken);
    }

    /// <summary>Evaluates every condition now and launches what it requests; null when another process holds the evaluation.</summary>
    public async Task<AutomationTick?> TickAsync(CancellationToken cancellationToken)
    {
        await using var lease = await EvaluationLease.TryTakeAsync(instance.Sensors, LeaseName, Lease, clock, cancellationToken);
        if (lease is null) return null;
        var startedAt = clock.GetUtcNow();
        var started = clock.GetTimestamp();
        AutomationTick tick;
        IReadOnlyList<AutomationDecision> decisions = [];
        try
        {
            decisions = _evaluator.Evaluate(await ReadInputsAsync(startedAt, cancellationToken));
            // A tick whose heartbeat stalled past the lease may have been taken over: the other process launches, not this one.
            if (!await lease.StillHeldAsync(cancellationToken))
                throw new InvalidOperationException($"the automation lease passed to another process during this tick ({Lease.TotalSeconds:0} s without a renewal); nothing was launched");
            (decisions, var runIds, var errors) = await LaunchAsync(decisions, startedAt, cancellationToken);
            tick = new AutomationTick(startedAt)
            {
                Evaluated = decisions.Count, Requested = decisions.Count(d => d.Requested), RunIds = runIds,
                Error = errors.Count == 0 ? null : string.Join("; ", errors),
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.Warning(ex, "Automation tick failed");
            tick = new AutomationTick(startedAt) { Error = ex.Message };
            decisions = [];
        }
        tick = tick with { Duration = clock.GetElapsedTime(started) };
        var (changed, removed) = tick.Error is not null && decisions.Count == 0 ? ([], []) : await ChangesAsync(decisions, cancellationToken);
        _stored = null;
        tick = tick with { Id = await instance.Automation.SaveTickAsync(tick, changed, removed, startedAt - TickRetention, CancellationToken.None) };
        if (decisions.Count > 0)
        {
            _stored = decisions.ToDictionary(KeyOf);
            _storedTickId = tick.Id;
        }
        if (tick.RunIds.Count > 0 || tick.Error is not null)
            log.Information("Automation tick: {evaluated} evaluated, {requested} requested, runs {runs} {error}", tick.Evaluated, tick.Requested, tick.RunIds, tick.Error);
        return tick;
    }

    /// <summary>The inputs, in one query each: statuses, open steps, partitions per definition, the on/off of each automated asset.</summary>
    public async Task<AutomationInputs> ReadInputsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var automated = new HashSet<AssetKey>();
        foreach (var asset in AutomatedAssets)
            if (await IsEnabledAsync(asset, cancellationToken)) automated.Add(asset);
        var partitions = new Dictionary<AssetKey, IReadOnlyList<PartitionKey>>();
        var byDefinition = new Dictionary<PartitionsDefinition, IReadOnlyList<PartitionKey>>();
        foreach (var asset in automated.SelectMany(a => graph.Parents(a).Prepend(a)).Distinct())
        {
            if (graph.Spec(asset).Partitions is not { } definition) continue;
            if (!byDefinition.TryGetValue(definition, out var keys))
                byDefinition[definition] = keys = await KeysAsync(definition, cancellationToken);
            partitions[asset] = keys;
        }
        var cronTicks = automated.Where(a => graph.Spec(a).Automation!.Kind == AutomationKind.OnCron)
            .ToDictionary(a => a, a => CronTicks.LatestAtOrBefore(_crons[graph.Spec(a).Automation!.Cron!], now));
        return new AutomationInputs(await instance.Events.GetAllStatusesAsync(cancellationToken), partitions,
            await instance.Automation.GetOpenStepsAsync(cancellationToken), automated, cronTicks);
    }

    /// <summary>
    /// A definition's keys, built once a day for one that depends on the clock alone (static lists, days, their products: 100,000
    /// keys cost as much to build as the status read) and read each tick for one the instance registers. The list of the previous
    /// tick is handed back when nothing changed, so the evaluator sees the same partitions at a glance.
    /// </summary>
    private async Task<IReadOnlyList<PartitionKey>> KeysAsync(PartitionsDefinition definition, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var fixedForTheDay = !ReadsTheInstance(definition);
        if (_keys.TryGetValue(definition, out var cached) && fixedForTheDay && cached.Day == today) return cached.Keys;
        var keys = await definition.GetKeysAsync(instance.Partitions, clock, cancellationToken);
        if (cached.Keys is not null && keys.Count == cached.Keys.Count && keys.SequenceEqual(cached.Keys)) keys = cached.Keys;
        _keys[definition] = (today, keys);
        return keys;
    }

    private static bool ReadsTheInstance(PartitionsDefinition definition) => definition switch
    {
        StaticPartitionsDefinition or DailyPartitionsDefinition => false,
        MultiPartitionsDefinition multi => multi.RegisteredKeysName is not null || multi.Dimensions.Any(d => ReadsTheInstance(d.Definition)),
        _ => true,
    };

    private readonly Dictionary<PartitionsDefinition, (DateOnly Day, IReadOnlyList<PartitionKey> Keys)> _keys = [];

    /// <summary>
    /// One run per group of the requested partitions: each requested asset with exactly the partitions requested of it (never
    /// the other assets' partitions, which would materialize what no condition asked for).
    /// </summary>
    private async Task<(IReadOnlyList<AutomationDecision>, List<string>, List<string>)> LaunchAsync(IReadOnlyList<AutomationDecision> decisions, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        var result = decisions.ToList();
        var runIds = new List<string>();
        var errors = new List<string>();
        var indexes = result.Select((d, i) => (d, i)).Where(x => x.d.Requested).GroupBy(x => graph.Spec(x.d.Asset).EffectiveGroup, StringComparer.Ordinal);
        foreach (var group in indexes)
        {
            var inRun = group.Select(x => x.i).ToList();
            var assets = inRun.Select(i => result[i].Asset).Distinct().ToList();
            var request = new RunRequest(string.Join(",", assets.Select(a => a.Value)))
            {
                PartitionsByAsset = inRun.Where(i => result[i].Partition is not null).GroupBy(i => result[i].Asset.Value, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(i => result[i].Partition!.Value).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal),
                Tags = new Dictionary<string, string> { ["automation"] = group.Key, ["automation_tick"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) },
            };
            try
            {
                var runId = await coordinator.LaunchAsync(request, cancellationToken);
                runIds.Add(runId);
                foreach (var i in inRun) result[i] = result[i] with { RunId = runId };
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.Warning(ex, "Automation could not launch the {group} run", group.Key);
                errors.Add($"{group.Key}: {ex.Message}");
                foreach (var i in inRun) result[i] = result[i] with { Requested = false, Reason = $"{result[i].Reason}; the launch failed: {ex.Message}" };
            }
        }
        return (result, runIds, errors);
    }

    /// <summary>
    /// The decisions that differ from the stored ones, and the stored ones no condition covers any more. The stored ones are read
    /// once (100,000 rows cost as much as the status read); after that this process keeps what it stored, which stays the truth
    /// while the latest tick is still its own (the lease lets one process store ticks at a time).
    /// </summary>
    private async Task<(IReadOnlyList<AutomationDecision>, IReadOnlyList<StepKey>)> ChangesAsync(IReadOnlyList<AutomationDecision> decisions, CancellationToken cancellationToken)
    {
        var latest = (await instance.Automation.GetTicksAsync(1, cancellationToken)).FirstOrDefault();
        var previous = _stored is not null && latest?.Id == _storedTickId
            ? new Dictionary<(string, string), AutomationDecision>(_stored)
            : (await instance.Automation.GetDecisionsAsync(null, cancellationToken)).ToDictionary(KeyOf);
        var changed = new List<AutomationDecision>();
        foreach (var decision in decisions)
            if (!previous.Remove(KeyOf(decision), out var before) || !before.SaysTheSameAs(decision)) changed.Add(decision);
        return (changed, previous.Values.Select(d => new StepKey(d.Asset, d.Partition)).ToList());
    }

    private static (string, string) KeyOf(AutomationDecision d) => (d.Asset.Value, d.Partition?.Value ?? "");

    /// <summary>What this process stored at its latest tick, and that tick's id.</summary>
    private Dictionary<(string, string), AutomationDecision>? _stored;
    private long _storedTickId;

    /// <summary>The recurring job on the ticks queue, every <see cref="Interval"/>, when any asset has a condition; removed when none has.</summary>
    public static void RegisterRecurringJob(JobStorage storage, AssetGraph graph)
    {
        var manager = new RecurringJobManager(storage);
        if (graph.Assets.Any(a => graph.Spec(a).Automation is not null))
            manager.AddOrUpdate<AutomationDaemon>(RecurringJobId, Hosting.RuntimeRole.TicksQueue, d => d.TickFromJobAsync(CancellationToken.None), SensorRunner.CronOf(Interval),
                new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc, MisfireHandling = MisfireHandlingMode.Relaxed });
        else manager.RemoveIfExists(RecurringJobId);
    }

    private static CronExpression ParseCron(string cron)
    {
        try
        {
            return CronTicks.Parse(cron);
        }
        catch (CronFormatException ex)
        {
            throw new ArgumentException($"Automation condition on_cron('{cron}') is not a five- or six-field cron expression ({ex.Message}).", nameof(cron), ex);
        }
    }
}
