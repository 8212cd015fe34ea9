using System.Collections.Concurrent;
using System.Text.Json;
using Lakehouse.Core.Config;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Orchestrator.Tests.Support;
using Serilog;
using TestSupport;
using TmLakehouse.Orchestrator.Alerts;
using TmLakehouse.Orchestrator.Execution;
using TmLakehouse.Orchestrator.Hosting;

namespace Orchestrator.Tests.Alerts;

/// <summary>
/// The built-in run-failure sensor against a loopback receiver, on each instance backend: a failed run's message reaches every
/// webhook (a 500 retried, a refused port given up after its attempts and failing the tick), each delivery is recorded with its
/// webhook's origin only, and a failure is alerted once.
/// </summary>
public abstract class RunFailureSensorTests : IDisposable
{
    private readonly TempHome _home = new();
    private readonly LoopbackWebhook _webhook = new();
    private readonly ToyAssets _toy = new();

    protected string Home => _home.Path;

    public void Dispose()
    {
        _webhook.Dispose();
        _home.Dispose();
    }

    protected abstract Task<LakehouseOptions> OptionsAsync();

    [Fact]
    public async Task AFailedRun_IsPostedToEveryWebhook_WithRetries_EachDeliveryRecorded_AndAlertedOnce()
    {
        var refused = $"http://127.0.0.1:{LoopbackWebhook.FreePort()}/nobody";
        _webhook.Answers["hooks/team-secret"] = new ConcurrentQueue<int>([500]);
        var options = (await OptionsAsync()) with { AlertWebhooks = [_webhook.Url("hooks/team-secret"), refused], DashboardUrl = "http://dash.example:3000/" };
        await using var runtime = await LakehouseRuntime.OpenAsync(options, _toy.Definitions(), RuntimeRole.Workers(1), new LoggerConfiguration().CreateLogger());
        var sensor = runtime.Sensors.Catalog.Get(RunFailureSensor.Name);

        var first = (await runtime.Sensors.EvaluateAsync(sensor, dryRun: false, CancellationToken.None)).Tick!;
        Assert.Equal("watching for runs that fail from now on", first.Reason);

        _toy.Failing["toy/raw[a]"] = "the export is unreadable";
        var runId = await runtime.Coordinator.LaunchAsync(new RunRequest("toy/raw") { Partitions = ["a"] }, CancellationToken.None);
        var run = await RunWatcher.WaitAsync(runtime.Instance.Runs, runId, null, TimeSpan.FromMilliseconds(100), new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        Assert.Equal(RunStatus.Failed, run.Status);

        var alerted = (await runtime.Sensors.EvaluateAsync(sensor, dryRun: false, CancellationToken.None)).Tick!;

        Assert.Equal(SensorTickStatus.Failed, alerted.Status);
        Assert.Contains($"alert for run {runId} to http://127.0.0.1:", alerted.Reason);
        Assert.Contains("failed after 3 attempt(s)", alerted.Reason);
        var posts = _webhook.Received.ToList();
        Assert.Equal(2, posts.Count);
        Assert.All(posts, p => Assert.Equal("hooks/team-secret", p.Path));
        using var message = JsonDocument.Parse(posts[1].Body);
        var root = message.RootElement;
        Assert.Equal(runId, root.GetProperty("run_id").GetString());
        Assert.Equal("toy/raw", root.GetProperty("selection").GetString());
        Assert.Equal(["toy/raw[a]"], root.GetProperty("failed_steps").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("the export is unreadable", root.GetProperty("first_error").GetString());
        Assert.Equal($"http://dash.example:3000/runs/{runId}", root.GetProperty("dashboard_link").GetString());

        var deliveries = await runtime.Instance.Alerts.GetDeliveriesAsync(runId, 10, CancellationToken.None);
        Assert.Equal(2, deliveries.Count);
        var good = deliveries.Single(d => d.Succeeded);
        Assert.Equal((2, 200, $"http://127.0.0.1:{_webhook.Port}/…"), (good.Attempts, good.StatusCode, good.Webhook));
        var bad = deliveries.Single(d => !d.Succeeded);
        Assert.Equal(3, bad.Attempts);
        Assert.DoesNotContain("nobody", bad.Webhook);

        var quiet = (await runtime.Sensors.EvaluateAsync(sensor, dryRun: false, CancellationToken.None)).Tick!;
        Assert.Equal("no run failed since the last tick", quiet.Reason);
        Assert.Equal(2, _webhook.Received.Count);
    }
}

public sealed class EmbeddedRunFailureSensorTests : RunFailureSensorTests
{
    protected override Task<LakehouseOptions> OptionsAsync() => Task.FromResult(new LakehouseOptions { Home = Home, Workers = 1 });
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresRunFailureSensorTests(PostgresServerFixture postgres) : RunFailureSensorTests
{
    protected override async Task<LakehouseOptions> OptionsAsync() => Runtimes.Postgres(Home, await postgres.CreateDatabaseAsync(), workers: 1);
}
