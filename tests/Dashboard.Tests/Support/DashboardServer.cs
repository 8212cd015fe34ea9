using Lakehouse.Core.Config;
using Microsoft.AspNetCore.Builder;
using Serilog;
using TmLakehouse.Dashboard.Hosting;
using TmLakehouse.Orchestrator.Hosting;

namespace Dashboard.Tests.Support;

/// <summary>The real app on a free loopback port over an embedded runtime (SQLite, in-memory Hangfire, in-process workers) in a temp home.</summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private readonly string _home;
    private WebApplication _app = null!;

    private DashboardServer(string home, LakehouseRuntime runtime)
    {
        _home = home;
        Runtime = runtime;
    }

    public LakehouseRuntime Runtime { get; }
    /// <summary>The runtime's TM_HOME (its lake folders are under <c>lake/</c>).</summary>
    public string Home => _home;
    public Uri BaseAddress { get; private set; } = null!;

    public static Task<DashboardServer> StartAsync(ToyLakehouse toy, string? apiKey = null, IReadOnlyList<string>? allowedHosts = null) =>
        StartAsync(toy.Definitions(), apiKey, allowedHosts);

    public static async Task<DashboardServer> StartAsync(IReadOnlyList<Lakehouse.Core.Assets.AssetDefinition> definitions, string? apiKey = null, IReadOnlyList<string>? allowedHosts = null,
        IReadOnlyList<Lakehouse.Core.Sensors.SensorDefinition>? sensors = null, LakehouseOptions? stores = null)
    {
        var home = Path.Combine(Path.GetTempPath(), "tmlake-dash-" + Guid.NewGuid().ToString("N")[..10]);
        // stores: another object store (S3 on s3rver) or instance store than the embedded default; home, workers and access are this server's.
        var options = (stores ?? new LakehouseOptions()) with { Home = home, Workers = 2, ApiKey = apiKey, AllowedHosts = allowedHosts ?? [] };
        var runtime = await LakehouseRuntime.OpenAsync(options, definitions, RuntimeRole.Workers(2), new LoggerConfiguration().CreateLogger(), sensors: sensors);
        var server = new DashboardServer(home, runtime);
        server._app = DashboardApp.Build(runtime, ServeCommand.Settings(null, null, 0, options, new Dictionary<string, string>()));
        await DashboardHost.StartAsync(server._app);
        server.BaseAddress = new Uri(server._app.Urls.Single().Replace("0.0.0.0", "127.0.0.1") + "/");
        return server;
    }

    public HttpClient Client() => new() { BaseAddress = BaseAddress };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Runtime.DisposeAsync();
        try { Directory.Delete(_home, recursive: true); }
        catch (IOException) { }
    }
}
