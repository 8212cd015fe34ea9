using Lakehouse.Core.Assets;
using Lakehouse.Core.Config;
using Serilog;
using TmLakehouse.Orchestrator.Hosting;

namespace Orchestrator.Tests.Support;

/// <summary>Opens an embedded runtime (SQLite instance, in-memory Hangfire, in-process workers) on a temp home.</summary>
public static class Runtimes
{
    public static Task<LakehouseRuntime> EmbeddedAsync(string home, IEnumerable<AssetDefinition> assets, int workers = 2) =>
        LakehouseRuntime.OpenAsync(new LakehouseOptions { Home = home, Workers = workers }, assets, RuntimeRole.Workers(workers),
            new LoggerConfiguration().CreateLogger());
}
