using System.Globalization;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Sql;
using Lakehouse.Core.Tables;
using Lakehouse.Core.Tables.Catalog;
using Lakehouse.Core.Tests.Fixtures;
using Lakehouse.Core.Tests.Tables;
using TestSupport;
using static Lakehouse.Core.Tests.Tables.TableTestLake;

namespace Lakehouse.Core.Tests.Sql;

/// <summary>SQL over the live files of a snapshot: counts match the snapshot where a glob over data/ overcounts; time travel; field-id mapping; S3 staging.</summary>
[Collection(S3Collection.Name)]
public sealed class LakeSqlEngineTests(S3ServerFixture s3) : IDisposable
{
    private static readonly DateOnly May1 = new(2024, 5, 1);
    private static readonly DateOnly May2 = new(2024, 5, 2);
    private readonly TableTestLake _lake = new();

    public void Dispose() => _lake.Dispose();

    private string CacheFolder => Path.Combine(_lake.Home, "cache", "query");

    /// <summary>Three snapshots: 30 erin rows, then 20 pebble rows, then erin replaced by 12 rows — the replaced file stays on disk.</summary>
    private async Task<(ILakeTable Table, IReadOnlyList<TableSnapshot> History)> WriteAsync(ITableCatalog catalog)
    {
        var table = await catalog.CreateOrLoadAsync(Events, CancellationToken.None);
        await AppendAsync(table, Enumerable.Range(1, 30).Select(i => Row(i, "erin", May1)).ToList());
        await AppendAsync(table, Enumerable.Range(100, 20).Select(i => Row(i, "pebble", May2)).ToList());
        await ReplaceAsync(table, RowFilter.Where(("course", "erin")), Enumerable.Range(200, 12).Select(i => Row(i, "erin", May1)).ToList());
        return (table, await table.HistoryAsync(CancellationToken.None));
    }

    private static async Task<long> ScalarAsync(LakeSqlEngine engine, string sql)
    {
        await engine.AttachReferencedAsync(sql, new Dictionary<TableIdentifier, SnapshotSelector>(), CancellationToken.None);
        await using var reader = await engine.ExecuteReaderAsync(sql, CancellationToken.None);
        Assert.True(await reader.ReadAsync());
        return Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Count_OverTheView_IsTheSnapshotsTotalRecords_WhereAGlobOverDataOvercounts()
    {
        var (_, history) = await WriteAsync(_lake.Catalog);
        await using var engine = await LakeSqlEngine.OpenAsync(_lake.Catalog, _lake.Objects, CacheFolder, 1 << 30, CancellationToken.None);

        var count = await ScalarAsync(engine, "select count(*) from silver.events");
        var glob = await ScalarAsync(engine, $"select count(*) from read_parquet('{_lake.Store.PathOf("events/data")}/**/*.parquet')");

        Assert.Equal(long.Parse(history[^1].Summary["total-records"], CultureInfo.InvariantCulture), count);
        Assert.Equal(32, count);
        Assert.Equal(62, glob); // the 30 replaced erin rows are still in a file under data/
        Assert.Equal(12, await ScalarAsync(engine, "SELECT count(*) FROM \"silver\".\"events\" WHERE course = 'erin' AND id >= 200"));
    }

    [Fact]
    public async Task Snapshots_ChosenByIdOrTime_ReadThatSnapshotsRows()
    {
        var (_, history) = await WriteAsync(_lake.Catalog);
        await using var engine = await LakeSqlEngine.OpenAsync(_lake.Catalog, _lake.Objects, CacheFolder, 1 << 30, CancellationToken.None);

        await engine.AttachAsync(Events.Id, SnapshotSelector.Id(history[1].SnapshotId), CancellationToken.None);
        Assert.Equal(50, await CountAsync(engine));
        await engine.AttachAsync(Events.Id, SnapshotSelector.At(history[0].Timestamp), CancellationToken.None);
        Assert.Equal(30, await CountAsync(engine));

        var missing = await Assert.ThrowsAsync<LakeSqlException>(() => engine.AttachAsync(Events.Id, SnapshotSelector.Id(42), CancellationToken.None));
        Assert.Contains("has no snapshot 42", missing.Message);
        var early = await Assert.ThrowsAsync<LakeSqlException>(() => engine.AttachAsync(Events.Id, SnapshotSelector.At(history[0].Timestamp.AddDays(-1)), CancellationToken.None));
        Assert.Contains("no snapshot at or before", early.Message);
    }

    [Fact]
    public async Task Columns_AreMappedByFieldId_SoFilesWrittenBeforeAColumnWasAddedReadItAsNull()
    {
        await WriteAsync(_lake.Catalog);
        await _lake.Catalog.CreateOrLoadAsync(Events with
        {
            Schema = new TableSchema(Events.Schema.Fields.Append(new TableField(9, "note", TableType.String)).ToList()),
        }, CancellationToken.None);
        await using var engine = await LakeSqlEngine.OpenAsync(_lake.Catalog, _lake.Objects, CacheFolder, 1 << 30, CancellationToken.None);

        Assert.Equal(32, await ScalarAsync(engine, "select count(*) from silver.events where note is null"));
        Assert.Equal(Enumerable.Range(100, 20).Concat(Enumerable.Range(200, 12)).Sum(), await ScalarAsync(engine, "select cast(sum(id) as bigint) from silver.events"));
        await using var reader = await engine.ExecuteReaderAsync("select column_name, column_type from (describe silver.events)", CancellationToken.None);
        var columns = new List<string>();
        while (await reader.ReadAsync()) columns.Add($"{reader.GetString(0)}:{reader.GetString(1)}");
        Assert.Equal(["id:BIGINT", "course:VARCHAR", "day:DATE", "at:TIMESTAMP WITH TIME ZONE", "score:DOUBLE", "flag:BOOLEAN", "payload:BLOB", "hole:INTEGER", "note:VARCHAR"], columns);
    }

    [Fact]
    public async Task BadSql_IsALakeSqlException_WithDuckDbsMessage()
    {
        await WriteAsync(_lake.Catalog);
        await using var engine = await LakeSqlEngine.OpenAsync(_lake.Catalog, _lake.Objects, CacheFolder, 1 << 30, CancellationToken.None);

        var unknownColumn = await Assert.ThrowsAsync<LakeSqlException>(() => ScalarAsync(engine, "select count(nothing) from silver.events"));
        Assert.Contains("nothing", unknownColumn.Message);
        Assert.DoesNotContain('\n', unknownColumn.Message);
        var unknownTable = await Assert.ThrowsAsync<LakeSqlException>(() => ScalarAsync(engine, "select count(*) from silver.nothing"));
        Assert.Contains("nothing", unknownTable.Message);
        var unknownSelector = await Assert.ThrowsAsync<LakeSqlException>(() => engine.AttachReferencedAsync("select 1",
            new Dictionary<TableIdentifier, SnapshotSelector> { [new TableIdentifier("gold", "nope")] = SnapshotSelector.Current }, CancellationToken.None));
        Assert.Contains("No table gold.nope", unknownSelector.Message);
    }

    [Fact]
    public async Task OnS3_TheLiveFilesAreStagedToTheBoundedCache_AndReadTheSame()
    {
        var options = s3.NewOptions() with { Home = _lake.Home };
        using var objects = new S3ObjectStoreProvider(options);
        var catalog = TableCatalogs.Sqlite(Path.Combine(_lake.Home, "s3-catalog.db"), objects, TimeProvider.System);
        var (table, _) = await WriteAsync(catalog);
        var files = await table.FilesAsync(null, CancellationToken.None);
        Assert.All(files, f => Assert.StartsWith("s3://", f.Path));

        await using (var engine = await LakeSqlEngine.OpenAsync(catalog, objects, CacheFolder, 1 << 30, CancellationToken.None))
        {
            Assert.Equal(32, await ScalarAsync(engine, "select count(*) from silver.events"));
            Assert.Equal(12, await ScalarAsync(engine, "select count(*) from silver.events where course = 'erin'"));
        }
        Assert.Equal(files.Count, Directory.GetFiles(CacheFolder, "*.parquet").Length);

        var tooSmall = files.Sum(f => f.SizeInBytes) - 1;
        await using var small = await LakeSqlEngine.OpenAsync(catalog, objects, CacheFolder, tooSmall, CancellationToken.None);
        var error = await Assert.ThrowsAsync<LakeSqlException>(() => small.AttachAsync(Events.Id, SnapshotSelector.Current, CancellationToken.None));
        Assert.Contains("TM_QUERY_CACHE_MB", error.Message);
    }

    private static async Task<long> CountAsync(LakeSqlEngine engine)
    {
        await using var reader = await engine.ExecuteReaderAsync("select count(*) from silver.events", CancellationToken.None);
        Assert.True(await reader.ReadAsync());
        return reader.GetInt64(0);
    }
}
