using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;

namespace Lakehouse.Core.Tests.Instance;

public abstract partial class InstanceStoreContract
{
    [Fact]
    public async Task Enabled_IsNullUntilSet_ThenTheLastValue()
    {
        var scheduling = Instance.Scheduling;
        Assert.Null(await scheduling.GetEnabledAsync("daily_silver", None));
        await scheduling.SetEnabledAsync("daily_silver", false, None);
        Assert.False(await scheduling.GetEnabledAsync("daily_silver", None));
        await scheduling.SetEnabledAsync("daily_silver", true, None);
        Assert.True(await scheduling.GetEnabledAsync("daily_silver", None));
        Assert.Null(await scheduling.GetEnabledAsync("other", None));
    }

    [Fact]
    public async Task Cursor_IsNullUntilSet_ThenTheLastValue_AndIndependentOfEnabled()
    {
        var scheduling = Instance.Scheduling;
        Assert.Null(await scheduling.GetCursorAsync("landing_sensor", None));
        await scheduling.SetEnabledAsync("landing_sensor", true, None);
        Assert.Null(await scheduling.GetCursorAsync("landing_sensor", None));
        await scheduling.SetCursorAsync("landing_sensor", "2025-06-01T00:00:00Z|file-1", None);
        await scheduling.SetCursorAsync("landing_sensor", "2025-06-02T00:00:00Z|file-9", None);
        Assert.Equal("2025-06-02T00:00:00Z|file-9", await scheduling.GetCursorAsync("landing_sensor", None));
        Assert.True(await scheduling.GetEnabledAsync("landing_sensor", None));
    }

    [Fact]
    public async Task Ticks_AreListedNewestFirst_PerName_UpToTheLimit()
    {
        var scheduling = Instance.Scheduling;
        await scheduling.AddTickAsync(new TickRecord("s", At(1), "Success") { RunIds = ["r1", "r2"] }, None);
        await scheduling.AddTickAsync(new TickRecord("s", At(3), "Failure") { Error = "no bucket" }, None);
        await scheduling.AddTickAsync(new TickRecord("s", At(2), "Skipped"), None);
        await scheduling.AddTickAsync(new TickRecord("other", At(4), "Success"), None);

        var ticks = await scheduling.GetTicksAsync("s", 2, None);

        Assert.Equal([At(3), At(2)], ticks.Select(t => t.Timestamp));
        Assert.Equal(("s", "Failure", "no bucket"), (ticks[0].Name, ticks[0].Status, ticks[0].Error));
        Assert.Empty(ticks[0].RunIds);
        Assert.Equal(["r1", "r2"], (await scheduling.GetTicksAsync("s", 10, None))[2].RunIds);
    }

    [Fact]
    public async Task DynamicPartitions_AddIgnoresExistingKeys_AndListsInOrderOfFirstAdd()
    {
        var partitions = Instance.Partitions;
        Assert.Empty(await partitions.GetDynamicPartitionKeysAsync("courses", None));
        await partitions.AddDynamicPartitionKeysAsync("courses", ["pebble", "erinhills"], None);
        await partitions.AddDynamicPartitionKeysAsync("courses", ["erinhills", "augusta", "pebble"], None);
        await partitions.AddDynamicPartitionKeysAsync("devices", ["d1"], None);

        Assert.Equal(["pebble", "erinhills", "augusta"], await partitions.GetDynamicPartitionKeysAsync("courses", None));
        Assert.Equal(["d1"], await partitions.GetDynamicPartitionKeysAsync("devices", None));
        await Assert.ThrowsAsync<ArgumentException>(() => partitions.AddDynamicPartitionKeysAsync("courses", [" "], None));
    }

    [Fact]
    public async Task Open_AgainOnTheSameDatabase_AppliesNoMigrationTwice_AndKeepsTheData()
    {
        var runId = await CreateRunAsync(Diamond());
        var applied = await ReadAppliedMigrationsAsync(Database);
        Assert.NotEmpty(applied);

        await using (var again = await OpenAsync(Database))
            Assert.Equal(RunStatus.Queued, (await again.Runs.GetRunAsync(runId, None))!.Status);

        Assert.Equal(applied, await ReadAppliedMigrationsAsync(Database));
    }

    [Fact]
    public async Task Open_ByTwoProcessesAtOnceOnAnEmptyDatabase_AppliesEachMigrationOnce()
    {
        var database = await CreateEmptyDatabaseAsync();
        var opened = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => OpenAsync(database))));
        try
        {
            var applied = await ReadAppliedMigrationsAsync(database);
            Assert.NotEmpty(applied);
            Assert.Equal(applied.Distinct().Order(), applied.Order());
            await opened[0].Partitions.AddDynamicPartitionKeysAsync("d", ["k"], None);
            Assert.Equal(["k"], await opened[3].Partitions.GetDynamicPartitionKeysAsync("d", None));
        }
        finally
        {
            foreach (var instance in opened) await instance.DisposeAsync();
        }
    }
}
