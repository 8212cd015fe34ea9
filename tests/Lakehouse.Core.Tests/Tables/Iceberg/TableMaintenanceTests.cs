using Lakehouse.Core.Tables;
using Microsoft.Extensions.Time.Testing;
using static Lakehouse.Core.Tests.Tables.TableTestLake;

namespace Lakehouse.Core.Tests.Tables.Iceberg;

public sealed class TableMaintenanceTests : IDisposable
{
    private static readonly DateOnly May1 = new(2024, 5, 1);
    private static readonly DateOnly May2 = new(2024, 5, 2);
    private readonly TableTestLake _lake = new();

    public void Dispose() => _lake.Dispose();

    private static List<EventRow> Rows(long from, int count, string course, DateOnly day) =>
        Enumerable.Range(0, count).Select(i => Row(from + i, course, day)).ToList();

    private string[] DataFilesOnDisk() =>
        Directory.GetFiles(_lake.Store.PathOf("events/data"), "*.parquet", SearchOption.AllDirectories);

    [Fact]
    public async Task Compact_KeepsEveryRow_InFewerFilesPerPartition()
    {
        var table = await _lake.CreateEventsAsync();
        var all = new List<EventRow>();
        for (var i = 0; i < 5; i++)
        {
            var rows = Rows(100 * i, 10, "erin", May1).Concat(Rows(100 * i + 50, 10, "pebble", May2)).ToList();
            all.AddRange(rows);
            await AppendAsync(table, rows);
        }
        await AppendAsync(table, Rows(900, 5, "solo", May1));
        all.AddRange(Rows(900, 5, "solo", May1));

        var report = await _lake.Maintenance.CompactAsync(table, 64L * 1024 * 1024, CancellationToken.None);

        Assert.Equal(11, report.FilesBefore);
        Assert.Equal(3, report.FilesAfter);
        Assert.Equal(2, report.PartitionsCompacted);
        Assert.Equal(100, report.RowsRewritten);
        AssertSameRows(all, await ReadAsync(table));
        var last = (await table.HistoryAsync(CancellationToken.None))[^1];
        Assert.Equal("replace", last.Operation);
        Assert.Equal(report.SnapshotId, last.SnapshotId);
        Assert.Equal("105", last.Summary["total-records"]);
        var again = await _lake.Maintenance.CompactAsync(table, 64L * 1024 * 1024, CancellationToken.None);
        Assert.Null(again.SnapshotId);
        Assert.Equal(3, again.FilesAfter);
    }

    [Fact]
    public async Task Compactions_RacingWithAppendsAndEachOther_NeverLoseOrDuplicateRows()
    {
        await _lake.CreateEventsAsync();
        var appenders = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            var table = (await _lake.NewCatalog().LoadAsync(Events.Id, CancellationToken.None))!;
            for (var c = 0; c < 4; c++)
                await AppendAsync(table, Rows(1000L * w + 100 * c, 10, w % 2 == 0 ? "erin" : "pebble", May1));
        }));
        var compactors = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            var catalog = _lake.NewCatalog();
            var table = (await catalog.LoadAsync(Events.Id, CancellationToken.None))!;
            for (var c = 0; c < 3; c++) await new Lakehouse.Core.Tables.Iceberg.TableMaintenance(catalog).CompactAsync(table, 64L * 1024 * 1024, CancellationToken.None);
        }));

        await Task.WhenAll(appenders.Concat(compactors));

        var final = (await _lake.Catalog.LoadAsync(Events.Id, CancellationToken.None))!;
        var expected = Enumerable.Range(0, 3).SelectMany(w => Enumerable.Range(0, 4).SelectMany(c => Rows(1000L * w + 100 * c, 10, w % 2 == 0 ? "erin" : "pebble", May1))).ToList();
        AssertSameRows(expected, await ReadAsync(final));
        var history = await final.HistoryAsync(CancellationToken.None);
        Assert.Equal(12, history.Count(h => h.Operation == "append"));
        Assert.Equal("120", history[^1].Summary["total-records"]);
    }

    [Fact]
    public async Task ExpireSnapshots_DeletesFilesOnlyExpiredSnapshotsUsed_AndKeepsLiveOnes()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero));
        var table = await _lake.NewCatalog(clock).CreateOrLoadAsync(Events, CancellationToken.None);
        await AppendAsync(table, Rows(1, 10, "erin", May1));
        clock.Advance(TimeSpan.FromHours(1));
        await AppendAsync(table, Rows(100, 10, "pebble", May1));
        clock.Advance(TimeSpan.FromHours(1));
        await ReplaceAsync(table, RowFilter.Where(("course", "erin")), Rows(200, 4, "erin", May1));
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(3, DataFilesOnDisk().Length);

        var report = await _lake.Maintenance.ExpireSnapshotsAsync(table, keepLast: 1, olderThan: clock.GetUtcNow(), CancellationToken.None);

        Assert.Equal(3, report.SnapshotsBefore);
        Assert.Equal(1, report.SnapshotsAfter);
        Assert.True(report.FilesDeleted >= 1 + 2, $"deleted {report.FilesDeleted}");
        Assert.True(report.BytesReclaimed > 0);
        Assert.Equal(2, DataFilesOnDisk().Length);
        var live = await table.FilesAsync(null, CancellationToken.None);
        Assert.All(live, f => Assert.True(File.Exists(new Uri(f.Path).LocalPath), $"{f.Path} was deleted but is live"));
        AssertSameRows(Rows(100, 10, "pebble", May1).Concat(Rows(200, 4, "erin", May1)).ToList(), await ReadAsync(table));
        Assert.Single(await table.HistoryAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ExpireSnapshots_KeepsSnapshotsYoungerThanTheCutoff_AndTheirFiles()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero));
        var table = await _lake.NewCatalog(clock).CreateOrLoadAsync(Events, CancellationToken.None);
        var first = await AppendAsync(table, Rows(1, 10, "erin", May1));
        clock.Advance(TimeSpan.FromDays(2));
        var second = await ReplaceAsync(table, RowFilter.Where(("course", "erin")), Rows(50, 5, "erin", May1));
        clock.Advance(TimeSpan.FromHours(1));
        await ReplaceAsync(table, RowFilter.Where(("course", "erin")), Rows(80, 5, "erin", May1));

        var report = await _lake.Maintenance.ExpireSnapshotsAsync(table, keepLast: 1, olderThan: clock.GetUtcNow().AddDays(-1), CancellationToken.None);

        Assert.Equal(2, report.SnapshotsAfter);
        var history = await table.HistoryAsync(CancellationToken.None);
        Assert.DoesNotContain(history, h => h.SnapshotId == first.SnapshotId);
        AssertSameRows(Rows(50, 5, "erin", May1), await ReadAsync(table, new TableScan { SnapshotId = second.SnapshotId }));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => ReadAsync(table, new TableScan { SnapshotId = first.SnapshotId }));
    }

    [Fact]
    public async Task RemoveOrphanFiles_DeletesOldUnreferencedFiles_KeepsYoungAndReferencedOnes()
    {
        var table = await _lake.CreateEventsAsync();
        await AppendAsync(table, Rows(1, 10, "erin", May1));
        await AppendAsync(table, Rows(100, 10, "pebble", May1));
        var oldOrphan = _lake.Store.PathOf("events/data/course=erin/day=2024-05-01/crashed-writer.parquet");
        var youngOrphan = _lake.Store.PathOf("events/data/course=erin/day=2024-05-01/in-flight.parquet");
        var oldManifest = _lake.Store.PathOf("events/metadata/lost-manifest.avro");
        foreach (var path in new[] { oldOrphan, youngOrphan, oldManifest }) await File.WriteAllBytesAsync(path, new byte[123]);
        File.SetLastWriteTimeUtc(oldOrphan, DateTime.UtcNow.AddDays(-4));
        File.SetLastWriteTimeUtc(oldManifest, DateTime.UtcNow.AddDays(-5));
        // Referenced files that are just as old must survive: age alone never makes a file an orphan.
        var referenced = Directory.GetFiles(_lake.Store.PathOf("events"), "*", SearchOption.AllDirectories)
            .Where(p => p != oldOrphan && p != youngOrphan && p != oldManifest).ToList();
        foreach (var path in referenced) File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddDays(-10));

        var report = await _lake.Maintenance.RemoveOrphanFilesAsync(table, null, CancellationToken.None);

        Assert.Equal(2, report.OrphansDeleted);
        Assert.Equal(1, report.YoungOrphansKept);
        Assert.Equal(246, report.BytesReclaimed);
        Assert.False(File.Exists(oldOrphan));
        Assert.False(File.Exists(oldManifest));
        Assert.True(File.Exists(youngOrphan));
        Assert.All(referenced, p => Assert.True(File.Exists(p), $"{p} is referenced but was deleted"));
        Assert.Equal(20, (await ReadAsync(table)).Count);
    }
}
