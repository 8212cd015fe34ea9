using System.Globalization;
using System.Text.RegularExpressions;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>Issue 4 as a user checks it: re-materializing adds snapshots without changing rows, and maintenance keeps the rows with no more files.</summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class TableMaintenanceEndToEndTests(AmericanErinDemo demo) : IClassFixture<AmericanErinDemo>
{
    private const string Silver = "silver/fact_telemetry_event";
    private static readonly string[] Tables = DemoLake.Tables;

    private TmlakeHome Home => demo.Home;

    private sealed record Snapshot(string Id, long TotalRows, bool Current);

    private async Task<List<Snapshot>> HistoryAsync(string table)
    {
        var output = await Home.OkAsync("table", "history", table);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(c => new Snapshot(c[0], long.Parse(c[c[^1] == "*" ? ^3 : ^2], CultureInfo.InvariantCulture), c[^1] == "*")).ToList();
    }

    private Task RematerializeAsync(string course) =>
        Home.OkAsync("materialize", "--select", Silver, "-p", DemoLake.PartitionOf(course));

    [Fact]
    public async Task Rematerialize_OneSilverPartition_AddsACurrentSnapshotWithTheSameRows()
    {
        var before = await HistoryAsync("silver.fact_telemetry_event");
        var partitionRows = await Home.CountAsync(Silver, DemoLake.PartitionOf("erinhills"));
        var totalRows = await Home.CountAsync(Silver);

        await RematerializeAsync("erinhills");

        var after = await HistoryAsync("silver.fact_telemetry_event");
        Assert.Equal(before.Count + 1, after.Count);
        Assert.Equal(before.Select(s => s.Id), after.Take(before.Count).Select(s => s.Id));
        var newest = after[^1];
        Assert.True(newest.Current);
        Assert.Equal(before.Single(s => s.Current).TotalRows, newest.TotalRows);
        Assert.Equal(totalRows, newest.TotalRows);
        Assert.Equal(partitionRows, await Home.CountAsync(Silver, DemoLake.PartitionOf("erinhills")));
        Assert.Equal(totalRows, await Home.CountAsync(Silver));
    }

    [Fact]
    public async Task Maintenance_AfterSeveralRematerializations_KeepsTheRowsWithNoMoreFiles()
    {
        // A late export of rounds already landed lands under another ingest date: its Silver rows go to the same
        // (course, event_date) partitions of the table in files of their own, so there is something to compact.
        var late = Path.Combine(Home.Path, "erinhills_late.csv");
        File.WriteAllLines(late, File.ReadLines(Path.Combine(demo.SampleData, $"erinhills_rounds_{DemoLake.IngestDate}.csv")).Take(31));
        await Home.OkAsync("land", late, "--course", "erinhills", "--ingest-date", "2025-06-02");
        await Home.OkAsync("materialize", "--select", Silver, "-p", DemoLake.PartitionOf("erinhills", "2025-06-02"));
        foreach (var course in new[] { "erinhills", "americanfalls", "erinhills" })
            await RematerializeAsync(course);
        var rowsBefore = new Dictionary<string, long>();
        var filesBefore = new Dictionary<string, int>();
        foreach (var asset in Tables)
        {
            rowsBefore[asset] = await Home.CountAsync(asset);
            filesBefore[asset] = (await LakeReaders.CurrentFilesAsync(Home, asset)).Count;
        }

        var output = await Home.OkAsync("materialize", "--select", "group:maintenance");

        foreach (var asset in Tables)
        {
            Assert.Equal(rowsBefore[asset], await Home.CountAsync(asset));
            var files = await LakeReaders.CurrentFilesAsync(Home, asset);
            Assert.True(files.Count <= filesBefore[asset], $"{asset}: {filesBefore[asset]} files before maintenance, {files.Count} after");
            if (asset == Silver)
                Assert.True(files.Count < filesBefore[asset], $"{asset}: two ingest dates share event-date partitions, yet compaction left {files.Count} of {filesBefore[asset]} files");
            Assert.All(files, f => Assert.True(File.Exists(f), $"{asset}: live file {f} was deleted"));
            var layer = asset[..asset.IndexOf('/')];
            var rows = await LakeReaders.IcebirdRowsAsync(Path.Combine(Home.Bucket("tm-" + layer), asset[(asset.IndexOf('/') + 1)..]));
            Assert.Equal(rowsBefore[asset], rows.Length);
        }
        var runId = RunLine().Match(output).Groups[1].Value;
        var report = await RunReport.LoadAsync(Home, runId);
        var compactBefore = report.Number("maintenance/compact_tables", "files_before");
        var compactAfter = report.Number("maintenance/compact_tables", "files_after");
        Assert.True(compactAfter < compactBefore, $"compact_tables: files_before {compactBefore}, files_after {compactAfter}");
        Assert.Equal(filesBefore.Values.Sum(), compactBefore);
        Assert.True(report.Number("maintenance/expire_snapshots", "files_after") <= report.Number("maintenance/expire_snapshots", "files_before"));
        Assert.True(report.Number("maintenance/remove_orphan_files", "files_after") <= report.Number("maintenance/remove_orphan_files", "files_before"));
    }

    [GeneratedRegex(@"^Run (\w+): ", RegexOptions.Multiline)]
    private static partial Regex RunLine();
}
