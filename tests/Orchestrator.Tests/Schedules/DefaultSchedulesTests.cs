using Lakehouse.Core.Config;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Tests.Support;
using Serilog;
using TmLakehouse.Assets;
using TmLakehouse.Assets.Bronze;
using TmLakehouse.Orchestrator.Hosting;
using TmLakehouse.Orchestrator.Schedules;

namespace Orchestrator.Tests.Schedules;

public sealed class DefaultSchedulesTests : IDisposable
{
    private readonly TempHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task DailyAndWeekly_OnTheRealAssetGraph_LaunchBronzeToGoldForYesterday_AndTheMaintenanceGroup()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 6, 8, 3, 0, 0, TimeSpan.Zero)); // Sunday 03:00 UTC
        await using var runtime = await LakehouseRuntime.OpenAsync(new LakehouseOptions { Home = _home.Path }, Definitions.All(), RuntimeRole.ClientOnly,
            new LoggerConfiguration().CreateLogger(), clock, CancellationToken.None, DefaultSchedules.All());
        await runtime.Instance.Partitions.AddDynamicPartitionKeysAsync(BronzePartitions.Name,
            [BronzePartitions.KeyOf("erinhills", new DateOnly(2025, 6, 7)), BronzePartitions.KeyOf("erinhills", new DateOnly(2025, 6, 6))], CancellationToken.None);
        await runtime.Instance.Partitions.AddDynamicPartitionKeysAsync(BronzePartitions.CoursesName, ["erinhills"], CancellationToken.None);

        var daily = await runtime.Schedules.TickAsync("daily_bronze_to_gold", CancellationToken.None);
        var weekly = await runtime.Schedules.TickAsync("weekly_maintenance", CancellationToken.None);

        Assert.True(daily.Status == TickStatus.Launched, daily.Error);
        var steps = (await runtime.Instance.Runs.GetStepsAsync(daily.RunIds[0], CancellationToken.None)).Select(s => s.Key.ToString()).ToList();
        Assert.Contains("bronze/rounds_raw[course_id=erinhills,ingest_date=2025-06-07]", steps);
        Assert.Contains("gold/fact_rounds[erinhills]", steps);
        Assert.DoesNotContain(steps, s => s.Contains("2025-06-06"));
        Assert.True(weekly.Status == TickStatus.Launched, weekly.Error);
        var maintenance = await runtime.Instance.Runs.GetStepsAsync(weekly.RunIds[0], CancellationToken.None);
        Assert.All(maintenance, s => Assert.StartsWith("maintenance/", s.Key.Asset.Value));
    }
}
