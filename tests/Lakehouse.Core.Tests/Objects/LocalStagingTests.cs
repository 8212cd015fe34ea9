using System.Diagnostics;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Tests.Tables;

namespace Lakehouse.Core.Tests.Objects;

public sealed class LocalStagingTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"tm-staging-test-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void RemoveLeftovers_DeletesOnlyTheFoldersOfProcessesThatAreGone()
    {
        var staging = new LocalStaging(_root);
        var mine = staging.NewPath("iceberg", ".parquet");
        File.WriteAllText(mine, "being written");

        // A process that ran and ended, and one that still runs.
        // It is ended only after its start time is read: a process that already exited (and was reaped) has none to read.
        using var ended = Process.Start(new ProcessStartInfo("sleep", "60"))!;
        var endedFolder = Folder(ended.Id, ended.StartTime);
        ended.Kill();
        ended.WaitForExit();
        File.WriteAllText(Path.Combine(endedFolder, "iceberg-1.parquet"), "left by a SIGKILL");
        using var running = Process.Start(new ProcessStartInfo("sleep", "60"))!;
        try
        {
            var runningFolder = Folder(running.Id, running.StartTime);
            // A later process that got a dead writer's pid: same pid, another start time.
            var reusedPid = Folder(running.Id, running.StartTime.AddHours(-1));
            var foreign = Directory.CreateDirectory(Path.Combine(_root, "not-a-writer")).FullName;

            var removed = staging.RemoveLeftovers();

            Assert.Equal(new[] { endedFolder, reusedPid }.Order(), removed.Order());
            Assert.True(File.Exists(mine));
            Assert.True(Directory.Exists(runningFolder));
            Assert.True(Directory.Exists(foreign));
        }
        finally
        {
            running.Kill();
        }
    }

    [Fact]
    public async Task TableWrites_StageUnderTmHome_InThisProcesssFolder_AndLeaveNoFileBehind()
    {
        using var lake = new TableTestLake();
        var staging = lake.Objects.Staging;
        Assert.Equal(Path.Combine(lake.Home, "staging"), staging.Root);
        var table = await lake.CreateEventsAsync();
        await TableTestLake.AppendAsync(table, Enumerable.Range(0, 100).Select(i => TableTestLake.Row(i, "a", new DateOnly(2025, 5, 1 + i % 3))).ToList());

        var folder = Assert.Single(Directory.GetDirectories(staging.Root));
        Assert.StartsWith($"{Environment.ProcessId}-", Path.GetFileName(folder));
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
        Assert.Equal(100, (await TableTestLake.ReadAsync(table)).Count);
        Assert.Empty(staging.RemoveLeftovers());
    }

    private string Folder(int pid, DateTime start) =>
        Directory.CreateDirectory(Path.Combine(_root, LocalStaging.FolderName(pid, new DateTimeOffset(start.ToUniversalTime())))).FullName;
}
