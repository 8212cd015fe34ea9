using System.Diagnostics;
using Lakehouse.Core.Tables;
using Lakehouse.Core.Tables.Iceberg;
using static Lakehouse.Core.Tests.Tables.TableTestLake;

namespace Lakehouse.Core.Tests.Tables.Iceberg;

/// <summary>A writer killed with SIGKILL at any point leaves a table that loads at a consistent snapshot, and a re-run converges.</summary>
public sealed class CrashSafetyTests : IDisposable
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), $"tm-crash-{Guid.NewGuid():N}");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_home)) Directory.Delete(_home, recursive: true);
    }

    [Fact]
    public async Task KilledWriter_LeavesAConsistentTable_AndARerunConverges()
    {
        Directory.CreateDirectory(_home);
        var round = 0;
        // Kill after a varying number of finished rounds and a varying delay, so the kill lands in different commit phases.
        foreach (var (rounds, delayMs) in new[] { (1, 0), (1, 15), (2, 40), (1, 90), (2, 5) })
        {
            round = await RunAndKillAsync(round, rounds, delayMs);
            await AssertConsistentAsync();
        }

        var finished = await RunToEndAsync(round, 2);
        Assert.Equal(0, finished);
        var (erin, logs) = await AssertConsistentAsync();
        Assert.Equal(Enumerable.Range(round + 1, RowsPerRound).Select(i => (long)(round + 1) * 1000 + i - round - 1), erin.Select(r => r.Id));
        Assert.Contains(LogIdBase + round + 1, logs.Select(r => r.Id));

        var catalog = CrashWriterProgram.CatalogOf(_home);
        var table = (await catalog.LoadAsync(Events.Id, CancellationToken.None))!;
        var before = await ReadAsync(table);
        var orphans = await new TableMaintenance(catalog).RemoveOrphanFilesAsync(table, TimeSpan.Zero, CancellationToken.None);
        AssertSameRows(before, await ReadAsync(table));
        Assert.True(orphans.FilesAfter > 0);
    }

    private const int RowsPerRound = CrashWriterProgram.RowsPerRound;
    private const long LogIdBase = CrashWriterProgram.LogIdBase;

    private async Task<(List<EventRow> Erin, List<EventRow> Logs)> AssertConsistentAsync()
    {
        var catalog = CrashWriterProgram.CatalogOf(_home);
        var table = await catalog.LoadAsync(Events.Id, CancellationToken.None);
        if (table is null) return ([], []);
        var rows = await ReadAsync(table);
        var erin = rows.Where(r => r.Course == "erin").ToList();
        var logs = rows.Where(r => r.Course == "log").ToList();
        // The replaced partition holds exactly one round's rows: never two copies, never a half.
        if (erin.Count > 0)
        {
            Assert.Equal(RowsPerRound, erin.Count);
            Assert.Single(erin.Select(r => r.Id / 1000).Distinct());
        }
        Assert.Equal(logs.Count, logs.Select(r => r.Id).Distinct().Count());
        var history = await table.HistoryAsync(CancellationToken.None);
        if (history.Count > 0)
            Assert.Equal(rows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), history.Single(h => h.IsCurrent).Summary["total-records"]);
        foreach (var file in await table.FilesAsync(null, CancellationToken.None))
            Assert.True(File.Exists(new Uri(file.Path).LocalPath), $"live file {file.Path} is missing");
        return (erin, logs);
    }

    private static ProcessStartInfo StartInfo(string home, int first, int count)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(typeof(CrashWriterProgram).Assembly.Location);
        foreach (var a in new[] { "crash-writer", home, first.ToString(System.Globalization.CultureInfo.InvariantCulture), count.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(a);
        return start;
    }

    /// <summary>Runs rounds from <paramref name="first"/>, kills the process after it reports <paramref name="rounds"/> rounds plus a delay; returns the next round number.</summary>
    private async Task<int> RunAndKillAsync(int first, int rounds, int delayMs)
    {
        using var process = Process.Start(StartInfo(_home, first, 1000))!;
        var stderr = process.StandardError.ReadToEndAsync();
        var seen = 0;
        while (seen < rounds)
        {
            var line = await process.StandardOutput.ReadLineAsync()
                       ?? throw new InvalidOperationException($"The crash writer ended early: {await stderr}");
            if (line.StartsWith("round ", StringComparison.Ordinal)) seen++;
        }
        await Task.Delay(delayMs);
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        // The killed process may have finished more rounds than it printed; later rounds use fresh ids above all of them.
        return first + 1000;
    }

    private async Task<int> RunToEndAsync(int first, int count)
    {
        using var process = Process.Start(StartInfo(_home, first, count))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await stdout;
        if (process.ExitCode != 0) throw new InvalidOperationException($"The crash writer failed: {await stderr}");
        return process.ExitCode;
    }
}
