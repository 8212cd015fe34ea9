using System.Diagnostics;
using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Production;

/// <summary>
/// Issue 10's reliability figure "SIGKILL at five moments": `tmlake materialize` (embedded: SQLite, in-process workers) is
/// killed with SIGKILL at a moment its own output marks. The next tmlake command notices the process is gone (its lease)
/// and ends the killed run failed, "the process running it stopped"; re-executing it, or running the same again, gives
/// exactly a clean run's rows (issue 11, dead processes).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class KilledMaterializeTests(CleanTwoDayLake clean) : IClassFixture<CleanTwoDayLake>, IDisposable
{
    private readonly TmlakeHome _home = new();

    public void Dispose() => _home.Dispose();

    [Theory]
    [InlineData("Run ", 0)]                                      // the run is stored; its first steps are only queued
    [InlineData("  running    bronze/rounds_raw[", 0)]           // Bronze verifying the landed files
    [InlineData("  running    silver/fact_telemetry_event[", 0)] // Silver has begun reading its partition
    [InlineData("  running    silver/fact_telemetry_event[", 400)] // Silver writing data files or committing
    [InlineData("  running    gold/fact_rounds[", 0)]            // Silver committed, Gold in flight
    public async Task KilledAtAMoment_TheRunEndsFailed_AndReexecutingItGivesExactlyACleanRunsRows(string marker, int delayMs)
    {
        foreach (var (file, day) in clean.Exports)
            await _home.OkAsync("land", file, "--course", CleanTwoDayLake.Course, "--ingest-date", day);

        var output = await KillWhenAsync(clean.MaterializeBothArgs(), marker, TimeSpan.FromMilliseconds(delayMs));
        var killed = System.Text.RegularExpressions.Regex.Match(output, @"^Run (\w+): ", System.Text.RegularExpressions.RegexOptions.Multiline).Groups[1].Value;
        Assert.True(killed.Length > 0, $"no run id in what the killed process printed:\n{output}");

        var show = await _home.OkAsync("run", "show", killed);
        Assert.Contains($"Run {killed}  failed", show, StringComparison.Ordinal);
        Assert.Contains("Run failed: the process running it stopped.", show, StringComparison.Ordinal);
        var runs = await _home.OkAsync("runs");
        Assert.DoesNotContain(runs.Split('\n'), l => l.Contains(" running ", StringComparison.Ordinal) || l.Contains(" queued ", StringComparison.Ordinal));

        var again = await _home.RunAsync("reexecute", killed);
        Assert.True(again.Exit == 0, $"re-executing the killed run failed:\n{again}\n--- the killed run printed\n{output}\n--- run show\n{show}");
        Assert.Equal(clean.Rows, await CleanTwoDayLake.RowsAsync(_home));
    }

    /// <summary>Starts `tmlake ARGS`, SIGKILLs it once a line starting with <paramref name="marker"/> was printed (and the delay passed), returns what it printed.</summary>
    private async Task<string> KillWhenAsync(string[] args, string marker, TimeSpan delay)
    {
        using var process = Process.Start(await _home.StartInfoAsync(args)) ?? throw new InvalidOperationException("Could not start tmlake.");
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var printed = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (printed) printed.AppendLine(e.Data);
            if (e.Data.StartsWith(marker, StringComparison.Ordinal)) seen.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (printed) printed.AppendLine(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var exited = process.WaitForExitAsync();
            var first = await Task.WhenAny(seen.Task, exited).WaitAsync(TimeSpan.FromMinutes(5));
            Assert.True(first == seen.Task, $"tmlake ended before printing '{marker}':\n{printed}");
            if (delay > TimeSpan.Zero) await Task.Delay(delay);
            Assert.False(process.HasExited, $"tmlake ended before it could be killed at '{marker}' + {delay.TotalMilliseconds} ms:\n{printed}");
            process.Kill(entireProcessTree: false); // SIGKILL: no shutdown code of tmlake runs
            await process.WaitForExitAsync();
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        lock (printed) return printed.ToString();
    }
}
