using System.Diagnostics;
using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Production;

/// <summary>
/// Issue 10 defect 7: a `tmlake materialize` killed with SIGKILL while it writes Parquet leaves its staging files under
/// TM_HOME/staging (never in $TMPDIR), and the next tmlake process to start removes them.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class StagingLeftoversTests : IDisposable
{
    private const string Course = "americanfalls";
    private readonly TmlakeHome _home = new();
    private readonly string _data = Path.Combine(Path.GetTempPath(), "tmlake-staging-exports-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly string _tmp = Directory.CreateTempSubdirectory("tmlake-child-tmp-").FullName;

    public void Dispose()
    {
        _home.Dispose();
        foreach (var folder in new[] { _data, _tmp })
        {
            try { Directory.Delete(folder, recursive: true); }
            catch (IOException) { }
        }
    }

    private string Staging => Path.Combine(_home.Path, "staging");

    [Fact]
    public async Task KilledWhileWriting_LeavesStagingFilesUnderTmHome_AndTheNextStartRemovesThem()
    {
        // Large enough that Silver spends a while writing Parquet files.
        await _home.OkAsync("sample-data", "--out", _data, "--courses", Course, "--rounds", "3000");
        foreach (var file in Directory.GetFiles(_data, $"{Course}_*.csv"))
            await _home.OkAsync("land", file, "--course", Course, "--ingest-date", "2025-06-01");

        var start = await _home.StartInfoAsync("materialize", "-s", "bronze/rounds_raw+", "-p", $"course_id={Course},ingest_date=2025-06-01");
        start.Environment["TMPDIR"] = _tmp;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start tmlake.");
        var pid = process.Id;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        var caught = false;
        try
        {
            var deadline = Stopwatch.StartNew();
            while (!process.HasExited && deadline.Elapsed < TimeSpan.FromMinutes(5))
            {
                if (StagedFiles().Count > 0)
                {
                    process.Kill(entireProcessTree: false); // SIGKILL: no cleanup code of tmlake runs
                    caught = true;
                    break;
                }
                await Task.Delay(2);
            }
            await process.WaitForExitAsync();
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        Assert.True(caught, $"tmlake ended before it staged a file:\n{await output}\n{await error}");

        var left = StagedFiles();
        Assert.NotEmpty(left);
        Assert.All(left, f => Assert.StartsWith($"{pid}-", Path.GetFileName(Path.GetDirectoryName(f))));
        Assert.Empty(Directory.GetFiles(_tmp, "tm-*", SearchOption.AllDirectories));

        // Any command that opens the lakehouse is a start.
        await _home.OkAsync("runs");

        Assert.Empty(StagedFiles());
        Assert.DoesNotContain(Directory.Exists(Staging) ? Directory.GetDirectories(Staging) : [], d => Path.GetFileName(d).StartsWith($"{pid}-", StringComparison.Ordinal));
        var again = await _home.RunAsync("materialize", "-s", "bronze/rounds_raw+", "-p", $"course_id={Course},ingest_date=2025-06-01");
        Assert.True(again.Exit == 0, again.ToString());
        Assert.Empty(StagedFiles());
    }

    private List<string> StagedFiles()
    {
        try
        {
            return Directory.Exists(Staging) ? Directory.GetFiles(Staging, "*", SearchOption.AllDirectories).ToList() : [];
        }
        catch (DirectoryNotFoundException)
        {
            return []; // a file's folder went away while listing
        }
    }
}
