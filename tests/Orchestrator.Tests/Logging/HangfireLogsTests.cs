using Hangfire.Logging;
using Lakehouse.Core.Config;
using Orchestrator.Tests.Support;
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
