using Lakehouse.Core.Config;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Partitions;
using Lakehouse.Core.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace Lakehouse.Core;

/// <summary>Registers a lakehouse in a service collection: <c>services.AddLakehouse(options).UseSqlite().UseLocalObjects()</c>.</summary>
public static class LakehouseServices
{
    /// <summary>Registers the options, the clock every store and step is given, and the resources assets use; the builder chooses the backends.</summary>
    public static LakehouseBuilder AddLakehouse(this IServiceCollection services, LakehouseOptions options, TimeProvider? clock = null)
    {
        services.AddSingleton(options);
        services.AddSingleton(clock ?? TimeProvider.System);
        services.AddSingleton(sp => new LakehouseResources(options, sp.GetRequiredService<ITableCatalog>(),
            sp.GetRequiredService<IObjectStoreProvider>(), sp.GetRequiredService<LakehouseInstance>()));
        services.AddSingleton<IPartitionKeySource>(sp => sp.GetRequiredService<LakehouseInstance>().Partitions);
        return new LakehouseBuilder(services, options);
    }

    /// <summary>
    /// Brings the instance's schema up to date and removes the staging files of processes that died (SIGKILL, power loss);
    /// a process calls it once, before its first use of the instance.
    /// </summary>
    public static Task PrepareLakehouseAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        services.GetRequiredService<IObjectStoreProvider>().Staging.RemoveLeftovers();
        return services.GetRequiredService<InstanceBackend>().PrepareAsync(services.GetRequiredService<TimeProvider>(), cancellationToken);
    }
}
