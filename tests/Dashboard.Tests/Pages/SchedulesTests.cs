using System.Net;
using Dashboard.Tests.Support;
using Lakehouse.Core.Config;
using Serilog;
using TmLakehouse.Dashboard.Hosting;
using TmLakehouse.Orchestrator.Cli;
using TmLakehouse.Orchestrator.Hosting;
using TmLakehouse.Orchestrator.Schedules;

namespace Dashboard.Tests.Pages;

public sealed class SchedulesTests : IDisposable
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), "tmlake-sched-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly ToyLakehouse _toy = new();
    private static readonly ScheduleDefinition Nightly = new("nightly", "0 2 * * *", "silver/toy", (_, _, _) => Task.FromResult<IReadOnlyList<string>>(["course_id=alpha,ingest_date=2025-06-01"]));

    public void Dispose()
    {
        try { Directory.Delete(_home, true); }
        catch (IOException) { }
    }

    private async Task<(int Code, string Out)> CliAsync(params string[] args)
    {
        var output = new StringWriter();
        var environment = new CliEnvironment(_toy.Definitions)
        {
            Schedules = () => [Nightly],
            Out = output,
            Error = output,
            Variables = new Dictionary<string, string> { ["TM_HOME"] = _home },
        };
        var code = await TmlakeCli.RunAsync(args, environment, [ServeCommand.Create(environment), SchedulesCommand.Create(environment)]);
        return (code, output.ToString());
    }

    [Fact]
    public async Task SchedulesCli_ListsOnOffAndNextTick_AndSwitchesASchedule()
    {
        var before = await CliAsync("schedules");
        var off = await CliAsync("schedules", "off", "nightly");
        var after = await CliAsync("schedules");
        var unknown = await CliAsync("schedules", "on", "daily");

        Assert.True(before.Code == 0, before.Out);
        Assert.Matches(@"nightly\s+0 2 \* \* \*\s+silver/toy\s+on\s+\d{4}-\d\d-\d\d 02:00\s+never", before.Out);
        Assert.Equal(0, off.Code);
        Assert.Matches(@"nightly\s+0 2 \* \* \*\s+silver/toy\s+off", after.Out);
        Assert.Equal(2, unknown.Code);
        Assert.Contains("No schedule 'daily'. Schedules: nightly.", unknown.Out);
    }

    [Fact]
    public async Task SchedulesPage_ShowsTicks_AndTheToggleTurnsTheScheduleOff()
    {
        await using var runtime = await LakehouseRuntime.OpenAsync(new LakehouseOptions { Home = _home, Workers = 1 }, _toy.Definitions(), RuntimeRole.Workers(1),
            new LoggerConfiguration().CreateLogger(), null, CancellationToken.None, [Nightly]);
        await ToyLakehouse.MaterializeBronzeAsync(runtime, "course_id=alpha,ingest_date=2025-06-01");
        var tick = await runtime.Schedules.TickAsync("nightly", CancellationToken.None);
        await using var app = DashboardApp.Build(runtime, new DashboardSettings(["http://127.0.0.1:0"], null));
        await DashboardHost.StartAsync(app);
        using var client = new FormClient(new Uri(app.Urls.Single() + "/"));

        var page = await client.PageAsync("schedules");
        var toggle = await client.PostFormAsync("schedules", "actions/schedules/nightly", [new("enabled", "false")]);

        Assert.Contains(tick.RunIds[0], page);
        Assert.Contains(">launched<", page);
        Assert.Equal(HttpStatusCode.Redirect, toggle.StatusCode);
        Assert.False(await runtime.Instance.Scheduling.GetEnabledAsync("nightly", CancellationToken.None));
        Assert.Contains(">off<", await client.PageAsync("schedules"));
        await app.StopAsync();
    }
}
