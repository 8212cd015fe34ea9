namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// Issue 10 defects 1 and 6 as a user meets them: a land refused for what was typed (an ingest date outside the partitions'
/// range, a course id that is a path) prints one `error:` line, exits 2, and leaves no trace: no Bronze file, no ledger row,
/// no partition, no run; the same file then lands normally.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class RefusedLandTests : IAsyncLifetime, IDisposable
{
    private readonly TmlakeHome _home = new();
    private string _export = "";

    public async Task InitializeAsync()
    {
        var data = Path.Combine(_home.Path, "incoming");
        await _home.OkAsync("sample-data", "--out", data, "--courses", "erinhills", "--rounds", "30");
        _export = Directory.GetFiles(data, "erinhills_*.csv").Order(StringComparer.Ordinal).Last();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _home.Dispose();

    private static void AssertOneErrorLine(CliResult result, string expected)
    {
        Assert.True(result.Exit == 2, result.ToString());
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("please report", result.Error, StringComparison.Ordinal);
    }

    /// <summary>Everything a land writes: Bronze objects and folders, quarantine reports, runs, and what `assets` counts.</summary>
    private async Task<string> TraceAsync()
    {
        var lake = Path.Combine(_home.Path, "lake");
        var entries = Directory.Exists(lake)
            ? Directory.GetFileSystemEntries(lake, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(lake, p)).Order(StringComparer.Ordinal).ToList()
            : new List<string>();
        var runs = await _home.OkAsync("runs");
        var bronze = (await _home.OkAsync("assets")).Split('\n').Single(l => l.StartsWith("bronze/rounds_raw", StringComparison.Ordinal));
        return string.Join('\n', entries) + "\n--- runs\n" + runs + "\n--- assets\n" + bronze;
    }

    [Theory]
    [InlineData("1999-12-31", "before the first partition")]
    [InlineData("2099-01-01", "after today")]
    public async Task Land_OnAnIngestDateOutsideThePartitions_IsRefusedBeforeAnyWrite_AndTheSameFileThenLands(string date, string expected)
    {
        var before = await TraceAsync();

        var refused = await _home.RunAsync("land", _export, "--course", "erinhills", "--ingest-date", date);

        AssertOneErrorLine(refused, expected);
        Assert.Equal("", refused.Out);
        Assert.Equal(before, await TraceAsync());
        // Nothing was registered: --all-partitions has nothing to run instead of failing on (or materializing) the refused key.
        var all = await _home.RunAsync("materialize", "-s", "bronze/rounds_raw", "--all-partitions");
        AssertOneErrorLine(all, "has no partitions yet");
        // The retry is a real landing, not "Nothing new landed".
        var landed = await _home.RunAsync("land", _export, "--course", "erinhills", "--ingest-date", "2025-06-01");
        Assert.True(landed.Exit == 0, landed.ToString());
        Assert.Contains("Landed ", landed.Out, StringComparison.Ordinal);
        Assert.Contains("succeeded", landed.Out, StringComparison.Ordinal);
        var everything = await _home.RunAsync("materialize", "-s", "bronze/rounds_raw", "--all-partitions");
        Assert.True(everything.Exit == 0, everything.ToString());
        Assert.Contains("Run ", everything.Out, StringComparison.Ordinal);
        Assert.Contains(": 1 step(s)", everything.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../x")]
    [InlineData("a/b")]
    [InlineData("..")]
    public async Task Land_WithACourseIdThatIsAPath_IsAUserError_WithOneLine_AndWritesNothing(string course)
    {
        var before = await TraceAsync();

        var refused = await _home.RunAsync("land", _export, "--course", course, "--ingest-date", "2025-06-01");

        AssertOneErrorLine(refused, "is not a valid course id");
        Assert.Equal(before, await TraceAsync());
        Assert.False(Directory.Exists(Path.Combine(_home.Path, "x")));
    }

    [Fact]
    public async Task Land_OfSeveralFiles_OneMissing_LandsNone()
    {
        var before = await TraceAsync();

        var refused = await _home.RunAsync("land", _export, Path.Combine(_home.Path, "nope.csv"), "--course", "erinhills", "--ingest-date", "2025-06-01");

        AssertOneErrorLine(refused, "nope.csv");
        Assert.Equal(before, await TraceAsync());
    }
}
