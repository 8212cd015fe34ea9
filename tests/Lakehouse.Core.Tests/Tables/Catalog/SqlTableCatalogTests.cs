using Lakehouse.Core.Tables;
using static Lakehouse.Core.Tests.Tables.TableTestLake;

namespace Lakehouse.Core.Tests.Tables.Catalog;

public sealed class SqlTableCatalogTests : IDisposable
{
    private static readonly DateOnly May1 = new(2024, 5, 1);
    private readonly TableTestLake _lake = new();

    public void Dispose() => _lake.Dispose();

    [Fact]
    public async Task ParallelAppends_ThroughSeparateCatalogs_KeepEveryCommit()
    {
        await _lake.CreateEventsAsync();
        const int writers = 8;
        const int commitsEach = 3;

        var commits = await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var catalog = _lake.NewCatalog();
            var table = await catalog.LoadAsync(Events.Id, CancellationToken.None) ?? throw new InvalidOperationException("table missing");
            var result = new List<TableCommit>();
            for (var c = 0; c < commitsEach; c++)
            {
                var first = 1000L * w + 100 * c;
                result.Add(await AppendAsync(table, Enumerable.Range(0, 10).Select(i => Row(first + i, $"course{w % 3}", May1)).ToList()));
            }
            return result;
        })));

        var table = (await _lake.Catalog.LoadAsync(Events.Id, CancellationToken.None))!;
        var history = await table.HistoryAsync(CancellationToken.None);
        Assert.Equal(writers * commitsEach, history.Count);
        Assert.Equal(commits.SelectMany(c => c).Select(c => c.SnapshotId).Order(), history.Select(h => h.SnapshotId).Order());
        Assert.Equal(Enumerable.Range(1, writers * commitsEach).Select(i => (long)i), history.Select(h => h.SequenceNumber));
        var rows = await ReadAsync(table);
        Assert.Equal(writers * commitsEach * 10, rows.Count);
        Assert.Equal(rows.Count, rows.Select(r => r.Id).Distinct().Count());
        Assert.Equal(rows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), history[^1].Summary["total-records"]);
    }

    [Fact]
    public async Task ParallelCreates_OfOneTable_EndWithOneTable()
    {
        var tables = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => _lake.NewCatalog().CreateOrLoadAsync(Events, CancellationToken.None))));

        Assert.All(tables, t => Assert.Equal(Events.Id, t.Id));
        Assert.Equal([Events.Id], await _lake.Catalog.ListTablesAsync("silver", CancellationToken.None));
        Assert.Empty(await _lake.Catalog.ListTablesAsync("gold", CancellationToken.None));
        await AppendAsync(tables[0], [Row(1, "erin", May1)]);
        Assert.Single(await ReadAsync(tables[3]));
    }

    [Fact]
    public async Task Load_ReturnsNull_ForAMissingTable()
    {
        Assert.Null(await _lake.Catalog.LoadAsync(new TableIdentifier("silver", "nothing"), CancellationToken.None));
    }

    [Fact]
    public async Task Catalog_UsesTheJdbcLayout_ThatOtherEnginesRead()
    {
        var table = await _lake.CreateEventsAsync();
        await AppendAsync(table, [Row(1, "erin", May1)]);

        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_lake.CatalogPath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT catalog_name, table_namespace, table_name, metadata_location, previous_metadata_location, iceberg_type FROM iceberg_tables";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("tmlake", reader.GetString(0));
        Assert.Equal("silver", reader.GetString(1));
        Assert.Equal("events", reader.GetString(2));
        Assert.Matches(@"^file:///.*/events/metadata/00001-[0-9a-f-]{36}\.metadata\.json$", reader.GetString(3));
        Assert.Matches(@"/events/metadata/00000-[0-9a-f-]{36}\.metadata\.json$", reader.GetString(4));
        Assert.Equal("TABLE", reader.GetString(5));
        Assert.False(await reader.ReadAsync());
        await reader.CloseAsync();
        command.CommandText = "SELECT namespace, property_key, property_value FROM iceberg_namespace_properties";
        await using var ns = await command.ExecuteReaderAsync();
        Assert.True(await ns.ReadAsync());
        Assert.Equal(("silver", "exists", "true"), (ns.GetString(0), ns.GetString(1), ns.GetString(2)));
    }
}
