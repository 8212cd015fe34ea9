using Hangfire.Logging;
using Lakehouse.Core.Config;
using Orchestrator.Tests.Support;
using Serilog.Core;
using Serilog.Events;
using TmLakehouse.Orchestrator.Hosting;
using TmLakehouse.Orchestrator.Logging;

namespace Orchestrator.Tests.Logging;

/// <summary>Hangfire's own log lines reach the process log (console and TM_HOME/logs/tmlake.json), from Warning up.</summary>
public sealed class HangfireLogsTests : IDisposable
{
    private readonly TempHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task AHangfireWarning_ReachesTheConsoleAndTheLogFile_ItsInformationDoesNot()
    {
        var console = new StringWriter();
        var options = new LakehouseOptions { Home = _home.Path };
        await using (var log = ProcessLog.Create(options, new Dictionary<string, string> { ["TM_LOG_LEVEL"] = "Information" }, console))
        {
            var hangfire = new HangfireLogs(log).GetLogger("Hangfire.Server.Worker");

            Assert.True(hangfire.Log(LogLevel.Warn, () => "Worker lost its storage connection", new TimeoutException("no answer in 15 s")));
            Assert.False(hangfire.Log(LogLevel.Info, null), "Hangfire's information lines are below the process log's Hangfire level");
            hangfire.Log(LogLevel.Info, () => "Server announced");
        }

        Assert.Contains("WRN Worker lost its storage connection", console.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Server announced", console.ToString(), StringComparison.Ordinal);
        var file = await File.ReadAllTextAsync(Path.Combine(_home.Path, "logs", "tmlake.json"));
        Assert.Contains("Worker lost its storage connection", file, StringComparison.Ordinal);
        Assert.Contains("\"SourceContext\":\"Hangfire.Server.Worker\"", file, StringComparison.Ordinal);
        Assert.Contains("no answer in 15 s", file, StringComparison.Ordinal);
    }
}

/// <summary>
/// Hangfire's log provider is process-wide and every runtime sets it: the one test that reads it runs with no other test at
/// the same time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HangfireLogProviderCollection
{
    public const string Name = "HangfireLogProvider";
}

[Collection(HangfireLogProviderCollection.Name)]
public sealed class HangfireLogProviderTests : IDisposable
{
    private readonly TempHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task OpeningARuntime_SendsHangfiresOwnLogLinesToTheRuntimesLogger()
    {
        var sink = new Collected();
        using var log = new Serilog.LoggerConfiguration().WriteTo.Sink(sink).CreateLogger();
        await using var runtime = await LakehouseRuntime.OpenAsync(new LakehouseOptions { Home = _home.Path }, new ToyAssets().Definitions(), RuntimeRole.ClientOnly, log);

        LogProvider.GetLogger("Hangfire.Server.Worker").Log(LogLevel.Warn, () => "probe from Hangfire");

        var line = Assert.Single(sink.Events, e => e.RenderMessage() == "probe from Hangfire");
        Assert.Equal(LogEventLevel.Warning, line.Level);
        Assert.Equal("\"Hangfire.Server.Worker\"", line.Properties["SourceContext"].ToString());
    }

    private sealed class Collected : ILogEventSink
    {
        public System.Collections.Concurrent.ConcurrentQueue<LogEvent> Events { get; } = new();
        public void Emit(LogEvent logEvent) => Events.Enqueue(logEvent);
    }
}
