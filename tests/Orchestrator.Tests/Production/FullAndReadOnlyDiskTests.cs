using Orchestrator.Tests.EndToEnd;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Production;

/// <summary>
/// Issue 10's reliability figure "a full disk and a read-only lake": on a real tmpfs that is full or remounted read-only, a run
/// fails with one clear `error:` line and exit 3, commits nothing, and the next run after space returns gives exactly the rows
/// of a clean run.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class FullAndReadOnlyDiskTests(CleanTwoDayLake clean) : IClassFixture<CleanTwoDayLake>, IDisposable
{
    private readonly TmlakeHome _home = new();
    private TmpfsMount? _mount;

    public void Dispose()
    {
        _mount?.Dispose();
        _home.Dispose();
    }

    private static void AssertEnvironmentFailure(CliResult result, string expected)
    {
        Assert.True(result.Exit == 3, result.ToString());
        var line = Assert.Single(result.ErrorLines, l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("please report", result.Error, StringComparison.Ordinal);
    }

    /// <summary>Lands both days and materializes day 1: the state every fault below starts from.</summary>
    private async Task LandBothDaysAndMaterializeTheFirstAsync()
    {
        foreach (var (file, day) in clean.Exports)
            await _home.OkAsync("land", file, "--course", CleanTwoDayLake.Course, "--ingest-date", day);
        await _home.OkAsync(clean.MaterializeArgs(clean.Exports[0].Day));
    }

    private Task<string> HistoryAsync() => CleanTwoDayLake.HistoryAsync(_home);

    [Fact]
    public async Task FullLake_RunFailsWithExit3AndOneLine_CommitsNothing_AndAfterSpaceReturnsGivesACleanRunsRows()
    {
        _mount = TmpfsMount.Create(Path.Combine(_home.Path, "lake"), 48);
        await LandBothDaysAndMaterializeTheFirstAsync();
        var before = await HistoryAsync();

        _mount.Fill();
        var full = await _home.RunAsync(clean.MaterializeArgs(clean.Exports[1].Day));

        AssertEnvironmentFailure(full, "The disk is full");
        Assert.Contains("No space left on device", full.Error, StringComparison.Ordinal);
        Assert.Equal(before, await HistoryAsync());

        _mount.Drain();
        await _home.OkAsync(clean.MaterializeArgs(clean.Exports[1].Day));
        Assert.Equal(clean.Rows, await CleanTwoDayLake.RowsAsync(_home));
    }

    [Fact]
    public async Task ReadOnlyLake_LandAndRunFailWithExit3AndOneLine_CommitNothing_AndOnceWritableGiveACleanRunsRows()
    {
        _mount = TmpfsMount.Create(Path.Combine(_home.Path, "lake"), 48);
        await LandBothDaysAndMaterializeTheFirstAsync();
        var before = await HistoryAsync();

        _mount.MakeReadOnly();
        var land = await _home.RunAsync("land", clean.Exports[0].File, "--course", CleanTwoDayLake.Course, "--ingest-date", "2025-06-03");
        var run = await _home.RunAsync(clean.MaterializeArgs(clean.Exports[1].Day));

        AssertEnvironmentFailure(land, "The file system is read-only");
        AssertEnvironmentFailure(run, "The file system is read-only");
        Assert.Equal(before, await HistoryAsync());

        _mount.MakeWritable();
        await _home.OkAsync(clean.MaterializeArgs(clean.Exports[1].Day));
        Assert.Equal(clean.Rows, await CleanTwoDayLake.RowsAsync(_home));
        // The refused land left no trace: not even the partition it would have added, so a run of it is refused at launch.
        var refused = await _home.RunAsync("materialize", "-s", "bronze/rounds_raw", "-p", CleanTwoDayLake.PartitionOf("2025-06-03"));
        Assert.Equal(2, refused.Exit);
        Assert.Contains($"bronze/rounds_raw has no partition '{CleanTwoDayLake.PartitionOf("2025-06-03")}'", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FullTmHome_TheInstanceDatabaseCannotBeWritten_Exit3AndOneLine_AndAfterSpaceReturnsGivesACleanRunsRows()
    {
        _mount = TmpfsMount.Create(_home.Path, 64);
        await LandBothDaysAndMaterializeTheFirstAsync();
        var before = await HistoryAsync();

        _mount.Fill();
        var full = await _home.RunAsync(clean.MaterializeArgs(clean.Exports[1].Day));

        Assert.True(full.Exit == 3, full.ToString());
        var line = Assert.Single(full.ErrorLines, l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.True(line.Contains("full", StringComparison.Ordinal) || line.Contains("read-only", StringComparison.Ordinal), line);
        Assert.DoesNotContain("please report", full.Error, StringComparison.Ordinal);

        _mount.Drain();
        Assert.Equal(before, await HistoryAsync());
        await _home.OkAsync(clean.MaterializeArgs(clean.Exports[1].Day));
        Assert.Equal(clean.Rows, await CleanTwoDayLake.RowsAsync(_home));
    }
}
