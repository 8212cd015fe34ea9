using Hangfire.Storage;
using Lakehouse.Core.Config;
using Lakehouse.Core.Instance;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Tests.Support;
using Serilog;
using TmLakehouse.Orchestrator.Hosting;
using TmLakehouse.Orchestrator.Schedules;

namespace Orchestrator.Tests.Schedules;

public sealed class ScheduleRunnerTests : IDisposable
{
    private readonly TempHome _home = new();
    // 02:00:40 UTC: the daily job fired a little late; its tick is still 02:00.
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 6, 2, 2, 0, 40, TimeSpan.Zero));

    private static readonly ScheduleDefinition Daily = new("daily", "0 2 * * *", "bronze/landed+", SchedulePartitions.LandedOn(LandedAssets.RegisteredKeys));
    private static readonly ScheduleDefinition Weekly = new("weekly", "0 3 * * 0", "group:maintenance", null);

    public void Dispose() => _home.Dispose();

    private async Task<LakehouseRuntime> OpenAsync(params ScheduleDefinition[] schedules)
    {
        // Client only: the test checks what was launched, not the steps (no worker takes them).
        var runtime = await LakehouseRuntime.OpenAsync(new LakehouseOptions { Home = _home.Path, Workers = 1 }, LandedAssets.Definitions(), RuntimeRole.ClientOnly,
            new LoggerConfiguration().CreateLogger(), _clock, CancellationToken.None, schedules);
        await runtime.Instance.Partitions.AddDynamicPartitionKeysAsync(LandedAssets.RegisteredKeys,
            ["course_id=alpha,ingest_date=2025-06-01", "course_id=beta,ingest_date=2025-06-01", "course_id=alpha,ingest_date=2025-06-02", "course_id=gamma,ingest_date=2025-05-31"],
            CancellationToken.None);
        return runtime;
    }

    [Fact]
    public async Task DailyTick_LaunchesBronzeToDownstream_ForYesterdaysLandedCourses_WithScheduleTags()
    {
        await using var runtime = await OpenAsync(Daily, Weekly);

        var tick = await runtime.Schedules.TickAsync("daily", CancellationToken.None);

        Assert.Equal(TickStatus.Launched, tick.Status);
        Assert.Equal(new DateTimeOffset(2025, 6, 2, 2, 0, 0, TimeSpan.Zero), tick.Timestamp);
        var run = await runtime.Instance.Runs.GetRunAsync(Assert.Single(tick.RunIds), CancellationToken.None);
        Assert.NotNull(run);
        Assert.Equal("bronze/landed+", run.Selection);
        Assert.Equal(["course_id=alpha,ingest_date=2025-06-01", "course_id=beta,ingest_date=2025-06-01"], run.Partitions);
        Assert.Equal("daily", run.Tags["schedule"]);
        Assert.Equal("2025-06-02T02:00:00Z", run.Tags["tick"]);
        var steps = await runtime.Instance.Runs.GetStepsAsync(run.RunId, CancellationToken.None);
        Assert.Equal(
            ["bronze/landed[course_id=alpha,ingest_date=2025-06-01]", "bronze/landed[course_id=beta,ingest_date=2025-06-01]",
             "silver/cleaned[course_id=alpha,ingest_date=2025-06-01]", "silver/cleaned[course_id=beta,ingest_date=2025-06-01]"],
            steps.Select(s => s.Key.ToString()).Order(StringComparer.Ordinal));
        var recorded = Assert.Single(await runtime.Instance.Scheduling.GetTicksAsync("daily", 10, CancellationToken.None));
        Assert.Equal(tick.RunIds, recorded.RunIds);
    }

    [Fact]
    public async Task Tick_WithNoLandedData_IsSkipped_AndLaunchesNothing()
    {
        _clock.SetUtcNow(new DateTimeOffset(2025, 6, 10, 2, 0, 0, TimeSpan.Zero));
        await using var runtime = await OpenAsync(Daily);

        var tick = await runtime.Schedules.TickAsync("daily", CancellationToken.None);

        Assert.Equal(TickStatus.Skipped, tick.Status);
        Assert.Empty(tick.RunIds);
        Assert.Empty(await runtime.Instance.Runs.ListRunsAsync(new RunQuery(), CancellationToken.None));
        Assert.Equal(TickStatus.Skipped, Assert.Single(await runtime.Instance.Scheduling.GetTicksAsync("daily", 10, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Tick_OfASwitchedOffSchedule_IsRecordedDisabled_AndLaunchesNothing()
    {
        await using var runtime = await OpenAsync(Daily);
        await runtime.Instance.Scheduling.SetEnabledAsync("daily", false, CancellationToken.None);

        var tick = await runtime.Schedules.TickAsync("daily", CancellationToken.None);

        Assert.Equal(TickStatus.Disabled, tick.Status);
        Assert.Empty(await runtime.Instance.Runs.ListRunsAsync(new RunQuery(), CancellationToken.None));
    }

    [Fact]
    public async Task Schedule_OffByDefault_StaysOffUntilSwitchedOn()
    {
        var off = Daily with { Name = "quiet", DefaultEnabled = false };
        await using var runtime = await OpenAsync(off);

        Assert.Equal(TickStatus.Disabled, (await runtime.Schedules.TickAsync("quiet", CancellationToken.None)).Status);
        await runtime.Instance.Scheduling.SetEnabledAsync("quiet", true, CancellationToken.None);
        Assert.Equal(TickStatus.Launched, (await runtime.Schedules.TickAsync("quiet", CancellationToken.None)).Status);
    }

    [Fact]
    public async Task UnpartitionedSchedule_LaunchesItsGroup_WithoutPartitions()
    {
        _clock.SetUtcNow(new DateTimeOffset(2025, 6, 8, 3, 0, 5, TimeSpan.Zero)); // a Sunday
        await using var runtime = await OpenAsync(Weekly);

        var tick = await runtime.Schedules.TickAsync("weekly", CancellationToken.None);

        var run = await runtime.Instance.Runs.GetRunAsync(Assert.Single(tick.RunIds), CancellationToken.None);
        Assert.Equal("group:maintenance", run!.Selection);
        Assert.Empty(run.Partitions);
        Assert.Equal("maintenance/compact", Assert.Single(await runtime.Instance.Runs.GetStepsAsync(run.RunId, CancellationToken.None)).Key.ToString());
    }

    [Fact]
    public async Task Tick_WhoseSelectionNamesNoAsset_IsRecordedFailed_WithTheReason()
    {
        await using var runtime = await OpenAsync(new ScheduleDefinition("broken", "0 * * * *", "silver/nothing_here", null));

        var tick = await runtime.Schedules.TickAsync("broken", CancellationToken.None);

        Assert.Equal(TickStatus.Failed, tick.Status);
        Assert.Contains("silver/nothing_here", tick.Error);
        Assert.Equal(tick.Error, Assert.Single(await runtime.Instance.Scheduling.GetTicksAsync("broken", 10, CancellationToken.None)).Error);
    }

    [Fact]
    public async Task RegisterRecurringJobs_AddsOneUtcJobPerSchedule_WithItsCron()
    {
        await using var runtime = await OpenAsync(Daily, Weekly);

        ScheduleRunner.RegisterRecurringJobs(runtime.JobStorage, runtime.Schedules.Catalog);

        using var connection = runtime.JobStorage.GetConnection();
        var jobs = connection.GetRecurringJobs().Where(j => j.Id.StartsWith(ScheduleRunner.RecurringJobPrefix, StringComparison.Ordinal)).OrderBy(j => j.Id).ToList();
        Assert.Equal(["schedule:daily", "schedule:weekly"], jobs.Select(j => j.Id));
        Assert.Equal(["0 2 * * *", "0 3 * * 0"], jobs.Select(j => j.Cron));
        Assert.All(jobs, j => Assert.Equal(TimeZoneInfo.Utc.Id, j.TimeZoneId));
        Assert.All(jobs, j => Assert.Equal(nameof(ScheduleRunner.TickAsync), j.Job.Method.Name));
    }

    [Fact]
    public void LatestTick_AfterDowntime_IsTheMostRecentMissedOccurrence()
    {
        // Down from Monday to Thursday 10:00: the one relaxed-misfire firing stands for Thursday 02:00, not Monday's.
        var latest = Daily.LatestAtOrBefore(new DateTimeOffset(2025, 6, 5, 10, 0, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2025, 6, 5, 2, 0, 0, TimeSpan.Zero), latest);
        Assert.Equal(new DateTimeOffset(2025, 6, 6, 2, 0, 0, TimeSpan.Zero), Daily.NextAfter(new DateTimeOffset(2025, 6, 5, 10, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Definition_WithABadCron_NamesTheSchedule()
    {
        var error = Assert.Throws<ArgumentException>(() => new ScheduleDefinition("nightly", "every night", "silver/*", null));
        Assert.Contains("nightly", error.Message);
        Assert.Contains("every night", error.Message);
    }
}
