using Hangfire;
using Hangfire.InMemory;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Config;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Execution.Steps;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Partitions;
using Lakehouse.Core.Tables;
using Microsoft.Extensions.DependencyInjection;
using TmLakehouse.Orchestrator.Execution;
using TmLakehouse.Orchestrator.Schedules;

namespace TmLakehouse.Orchestrator.Hosting;

/// <summary>
/// The composition root of a process: instance, object stores, table catalog, asset graph, planner, coordinator and
/// Hangfire (storage, client and, for worker processes, a server). Which backends are used comes from options only.
/// </summary>
public sealed class LakehouseRuntime : IAsyncDisposable
{
    private readonly BackgroundJobServer? _server;
    private readonly ServiceProvider _services;

    private LakehouseRuntime(ServiceProvider services, BackgroundJobServer? server)
    {
        _services = services;
        _server = server;
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

    /// <summary>Opens every store (running migrations), validates the asset graph, and starts workers when the role asks for them.</summary>
    public static async Task<LakehouseRuntime> OpenAsync(LakehouseOptions options, IEnumerable<AssetDefinition> assets, RuntimeRole role,
        Serilog.ILogger log, TimeProvider? clock = null, CancellationToken cancellationToken = default, IEnumerable<ScheduleDefinition>? schedules = null)
    {
        var graph = AssetGraph.Build(assets);
        clock ??= TimeProvider.System;
        Directory.CreateDirectory(options.Home);
        var instance = await InstanceBackends.OpenAsync(options, clock, cancellationToken);
        var objects = ObjectStores.Create(options);
        var tables = TableBackends.Open(options, objects, clock);
        var storage = JobStorageFactory.Create(options, role.RunsWorkers ? role.WorkerCount : 0);
        var filters = HangfireFilters.Create();

        var services = new ServiceCollection()
            .AddSingleton(options)
            .AddSingleton(clock)
            .AddSingleton(log)
            .AddSingleton(graph)
            .AddSingleton(instance)
            .AddSingleton(objects)
            .AddSingleton(tables)
            .AddSingleton(new LakehouseResources(options, tables, objects, instance))
            .AddSingleton<IPartitionKeySource>(instance.Partitions)
            .AddSingleton(storage)
            .AddSingleton<IBackgroundJobClient>(new BackgroundJobClient(storage, filters))
            .AddSingleton<IStepQueue>(sp => new HangfireStepQueue(sp.GetRequiredService<IBackgroundJobClient>(), role.Queues[0]))
            .AddSingleton(sp => new RunPlanner(graph, instance.Partitions, clock))
            .AddSingleton<RunCoordinator>()
            .AddSingleton(sp => StepPipeline.Create(graph, sp.GetRequiredService<LakehouseResources>(), sp.GetRequiredService<IStepQueue>(), clock, log))
            .AddTransient<StepJob>()
            .AddSingleton(new ScheduleCatalog(schedules ?? []))
            .AddSingleton<ScheduleRunner>()
            .BuildServiceProvider();

        BackgroundJobServer? server = null;
        if (role.RunsWorkers)
        {
            server = new BackgroundJobServer(new BackgroundJobServerOptions
            {
                WorkerCount = role.WorkerCount,
                Queues = role.Queues.ToArray(),
                Activator = new ServiceProviderJobActivator(services),
                FilterProvider = filters,
                // Retries with a delay become scheduled jobs; look for due ones every second, not every 15.
                SchedulePollingInterval = TimeSpan.FromSeconds(1),
                ServerName = $"{Environment.MachineName}:{Environment.ProcessId}",
            }, storage);
        }
        return new LakehouseRuntime(services, server);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            _server.SendStop();
            await _server.WaitForShutdownAsync(CancellationToken.None);
            _server.Dispose();
        }
        (JobStorage as IDisposable)?.Dispose();
        // Instances handed to the container are not disposed by it: the S3 provider owns an HTTP client.
        (_services.GetRequiredService<IObjectStoreProvider>() as IDisposable)?.Dispose();
        await Instance.DisposeAsync();
        await _services.DisposeAsync();
    }
}
