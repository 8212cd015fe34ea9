using Lakehouse.Core.Tables;
using static Lakehouse.Core.Tests.Tables.TableTestLake;

namespace Lakehouse.Core.Tests.Tables.Catalog;

public sealed class PostgresTableCatalogTests(IcebergPostgresFixture postgres) : IClassFixture<IcebergPostgresFixture>
{
    private static readonly DateOnly May1 = new(2024, 5, 1);

    [Fact]
    public async Task ParallelAppends_ThroughSeparateCatalogs_KeepEveryCommit()
    {
        using var lake = new TableTestLake(await postgres.CreateDatabaseAsync());
        await lake.CreateEventsAsync();

        var commits = await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var table = (await lake.NewCatalog().LoadAsync(Events.Id, CancellationToken.None))!;
            var result = new List<TableCommit>();
            for (var c = 0; c < 3; c++)
                result.Add(await AppendAsync(table, Enumerable.Range(0, 10).Select(i => Row(1000L * w + 100 * c + i, $"course{w % 3}", May1)).ToList()));
            return result;
        })));

        var table = (await lake.Catalog.LoadAsync(Events.Id, CancellationToken.None))!;
        var history = await table.HistoryAsync(CancellationToken.None);
        Assert.Equal(commits.SelectMany(c => c).Select(c => c.SnapshotId).Order(), history.Select(h => h.SnapshotId).Order());
        Assert.Equal(Enumerable.Range(1, 24).Select(i => (long)i), history.Select(h => h.SequenceNumber));
        var rows = await ReadAsync(table);
        Assert.Equal(240, rows.Count);
        Assert.Equal(240, rows.Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public async Task ReplaceAndEvolve_WorkTheSameAsOnSqlite()
    {
        using var lake = new TableTestLake(await postgres.CreateDatabaseAsync());
        var table = await lake.CreateEventsAsync();
        await AppendAsync(table, Enumerable.Range(1, 10).Select(i => Row(i, "erin", May1)).ToList());
        await AppendAsync(table, Enumerable.Range(20, 5).Select(i => Row(i, "pebble", May1)).ToList());
        var fresh = Enumerable.Range(50, 3).Select(i => Row(i, "erin", May1)).ToList();

        await ReplaceAsync(table, RowFilter.Where(("course", "erin")), fresh);
        var evolved = await lake.NewCatalog().CreateOrLoadAsync(Events with
        {
            Schema = new TableSchema(Events.Schema.Fields.Append(new TableField(9, "note", TableType.String)).ToList()),
        }, CancellationToken.None);

        AssertSameRows(fresh.Concat(Enumerable.Range(20, 5).Select(i => Row(i, "pebble", May1))).ToList(), await ReadAsync(evolved));
        Assert.Equal("note", evolved.Schema.Fields[^1].Name);
        Assert.Equal([Events.Id], await lake.Catalog.ListTablesAsync(null, CancellationToken.None));
    }
}
