using Hangfire;
using Hangfire.Common;
using Lakehouse.Core;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Config;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Execution.Steps;
using Lakehouse.Core.Instance;
using Microsoft.Extensions.DependencyInjection;
using TmLakehouse.Orchestrator.Execution;
using TmLakehouse.Orchestrator.Schedules;
using TmLakehouse.Orchestrator.Sensors;
using Lakehouse.Core.Sensors;

namespace TmLakehouse.Orchestrator.Hosting;

/// <summary>
/// The composition root of a process: the lakehouse's services (instance, object stores, table catalog, registered with
/// <c>AddLakehouse</c> and the backends the options name), the asset graph, planner, coordinator, step pipeline and
/// Hangfire (storage, client and, for worker processes, a server).
/// </summary>
public sealed class LakehouseRuntime : IAsyncDisposable
{
    private readonly IReadOnlyList<BackgroundJobServer> _servers;
    private readonly ServiceProvider _services;

    private LakehouseRuntime(ServiceProvider services, IReadOnlyList<BackgroundJobServer> servers)
    {
        _services = services;
        _servers = servers;
    }

    public IServiceProvider Services => _services;
    public LakehouseOptions Options => _services.GetRequiredService<LakehouseOptions>();
    public LakehouseInstance Instance => _services.GetRequiredService<LakehouseInstance>();
    public LakehouseResources Resources => _services.GetRequiredService<LakehouseResources>();
    public AssetGraph Graph => _services.GetRequiredService<AssetGraph>();
    public RunPlanner Planner => _services.GetRequiredService<RunPlanner>();
    public RunCoordinator Coordinator => _services.GetRequiredService<RunCoordinator>();
    public TimeProvider Clock => _services.GetRequiredService<TimeProvider>();
    public JobStorage JobStorage => _services.GetRequiredService<JobStorage>();
    public ScheduleRunner Schedules => _services.GetRequiredService<ScheduleRunner>();
    public SensorRunner Sensors => _services.GetRequiredService<SensorRunner>();
    public Backfills.BackfillLauncher Backfills => _services.GetRequiredService<Backfills.BackfillLauncher>();
    public Backfills.BackfillDaemon BackfillDaemon => _services.GetRequiredService<Backfills.BackfillDaemon>();
    public Automation.AutomationDaemon Automation => _services.GetRequiredService<Automation.AutomationDaemon>();

    /// <summary>
    /// Validates the asset graph, registers everything, brings the instance's schema up to date, and starts workers when
    /// the role asks for them. The backends are the ones the options name unless <paramref name="backends"/> chooses them.
    /// </summary>
    public static async Task<LakehouseRuntime> OpenAsync(LakehouseOptions options, IEnumerable<AssetDefinition> assets, RuntimeRole role,
        Serilog.ILogger log, TimeProvider? clock = null, CancellationToken cancellationToken = default, IEnumerable<ScheduleDefinition>? schedules = null,
        Action<LakehouseBuilder>? backends = null, IEnumerable<SensorDefinition>? sensors = null)
    {
        var graph = AssetGraph.Build(assets);
        clock ??= TimeProvider.System;
        Directory.CreateDirectory(options.Home);
        var filters = HangfireFilters.Create();
        Logging.HangfireLogs.Use(log);

        var services = new ServiceCollection();
        var lakehouse = services.AddLakehouse(options, clock);
        (backends ?? (b => b.UseConfiguredBackends()))(lakehouse);
        lakehouse.UseHangfire((role.RunsWorkers ? role.WorkerCount : 0) + (role.RunsTicks ? RuntimeRole.TickWorkerCount : 0));
        services
            .AddSingleton(log)
            .AddSingleton(graph)
            .AddSingleton<IBackgroundJobClient>(sp => new BackgroundJobClient(sp.GetRequiredService<JobStorage>(), filters))
            .AddSingleton<IStepQueue>(sp => new HangfireStepQueue(sp.GetRequiredService<IBackgroundJobClient>(), role.Queues[0],
                batch: sp.GetRequiredService<JobStorage>() is Hangfire.PostgreSql.PostgreSqlStorage))
            .AddSingleton(sp => new RunPlanner(graph, sp.GetRequiredService<LakehouseInstance>().Partitions, clock, options.MaxRunPartitions))
            .AddSingleton<LaunchCheck>()
            .AddSingleton(sp => new ProcessLeases(sp.GetRequiredService<LakehouseInstance>().Runs, clock))
            .AddSingleton<RunCoordinator>()
            .AddSingleton<LostStepJobRepair>()
            .AddSingleton(_ => new RunLogFiles(StepPipeline.LogFolder(options)))
            // Hangfire.InMemory's jobs die with the process, never delivered again.
            .AddSingleton(sp => StepPipeline.Create(graph, sp.GetRequiredService<LakehouseResources>(), sp.GetRequiredService<IStepQueue>(), clock, log,
                sp.GetRequiredService<RunLogFiles>(), queueRedelivers: sp.GetRequiredService<JobStorage>() is not Hangfire.InMemory.InMemoryStorage))
            .AddTransient<StepJob>()
            .AddTransient<StepJobBatch>()
            .AddSingleton(new ScheduleCatalog(schedules ?? []))
            .AddSingleton<ScheduleRunner>()
            .AddSingleton(new SensorCatalog([.. sensors ?? [], .. BuiltInSensors(options, clock)]))
            .AddSingleton<SensorRunner>()
            .AddSingleton<Backfills.BackfillLauncher>()
            .AddSingleton<Backfills.BackfillDaemon>()
            .AddSingleton(sp => new Automation.AutomationDaemon(graph, sp.GetRequiredService<LakehouseInstance>(), sp.GetRequiredService<RunCoordinator>(), clock, log));
        var provider = services.BuildServiceProvider();
        try
        {
            await provider.PrepareLakehouseAsync(cancellationToken);
            // Resolved now, not at the first enqueue: creating the job storage prepares its schema, which workers and tools expect once a runtime is open.
            var jobStorage = provider.GetRequiredService<JobStorage>();
            var leases = provider.GetRequiredService<ProcessLeases>();
            // Steps queued in memory die with this process: its runs depend on its lease. A durable queue outlives any one worker.
            if (role.RunsWorkers && jobStorage is Hangfire.InMemory.InMemoryStorage) await leases.AcquireAsync(cancellationToken);
            // A durable queue may still lose a job between a step end's commit and its enqueue (a worker killed there): any
            // worker looks for such steps every minute.
            if (role.RunsWorkers && jobStorage is Hangfire.PostgreSql.PostgreSqlStorage)
                new RecurringJobManager(jobStorage).AddOrUpdate<LostStepJobRepair>(LostStepJobRepair.RecurringJobId, r => r.RepairAsync(CancellationToken.None),
                    Cron.Minutely(), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc, MisfireHandling = MisfireHandlingMode.Relaxed });
            var ended = await leases.SweepAsync(cancellationToken);
            if (ended.Count > 0)
                log.Warning("Ended {count} run(s) failed because {reason}: {run_ids}", ended.Count, ProcessLeases.Reason, string.Join(", ", ended));
        }
        catch
        {
            await provider.DisposeAsync();
            throw;
        }

        var servers = new List<BackgroundJobServer>();
        if (role.RunsWorkers) servers.Add(Server(provider, filters, role.WorkerCount, role.Queues, ""));
        // Its own server, so its workers take ticks only, whatever the step workers are doing.
        if (role.RunsTicks) servers.Add(Server(provider, filters, RuntimeRole.TickWorkerCount, [RuntimeRole.TicksQueue], ":ticks"));
        return new LakehouseRuntime(provider, servers);
    }

    private static BackgroundJobServer Server(ServiceProvider provider, IJobFilterProvider filters, int workers, IReadOnlyList<string> queues, string nameSuffix) =>
        new(new BackgroundJobServerOptions
        {
            WorkerCount = workers,
            Queues = queues.ToArray(),
            Activator = new ServiceProviderJobActivator(provider),
            FilterProvider = filters,
            // Retries with a delay become scheduled jobs; look for due ones every second, not every 15.
            SchedulePollingInterval = TimeSpan.FromSeconds(1),
            ServerName = $"{Environment.MachineName}:{Environment.ProcessId}{nameSuffix}",
        }, provider.GetRequiredService<JobStorage>());

    /// <summary>The sensors every deployment has: the run-failure alerts when TM_ALERT_WEBHOOKS names a webhook.</summary>
    private static IEnumerable<SensorDefinition> BuiltInSensors(LakehouseOptions options, TimeProvider clock)
    {
        if (options.AlertWebhooks.Count == 0) yield break;
        // One client for the process's lifetime (sockets are pooled); the sender's pipeline bounds each attempt, not the client.
        var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        yield return new Alerts.RunFailureSensor(options.AlertWebhooks, options.DashboardUrl, new Alerts.WebhookSender(http, Alerts.WebhookSender.Settings.Default, clock)).Definition;
    }

    public async ValueTask DisposeAsync()
    {
        // The workers stop first: their steps still write to the stores the container releases next (pools, HTTP clients, job storage).
        foreach (var server in _servers) server.SendStop();
        foreach (var server in _servers)
        {
            await server.WaitForShutdownAsync(CancellationToken.None);
            server.Dispose();
        }
        await _services.DisposeAsync();
    }
}
