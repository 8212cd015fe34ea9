using System.Globalization;
using Apache.Arrow;
using Lakehouse.Core.Tables;
using Lakehouse.Core.Tables.Iceberg;

namespace TestSupport;

/// <summary>
/// What every table catalog (SQLite, PostgreSQL, REST) must do, as one suite each backend's test class inherits: commits that
/// never lose each other, creates that end in one table, schema evolution, namespaces, drop, rename, register, maintenance.
/// </summary>
public abstract class TableCatalogContract
{
    private static readonly DateOnly May1 = new(2024, 5, 1);

    /// <summary>A new catalog object over the same catalog (as another process would open it).</summary>
    protected abstract ITableCatalog NewCatalog();

    protected static TableDefinition Scores(string ns = "silver", string name = "scores") => new(
        new TableIdentifier(ns, name),
        TableSchemas.Sequential(("id", TableType.Long, true), ("course", TableType.String, true), ("day", TableType.Date, true), ("score", TableType.Double, false)),
        [new("course", PartitionTransform.Identity, "course")]);

    [Fact]
    public async Task ParallelAppends_ThroughSeparateCatalogs_KeepEveryCommit()
    {
        await NewCatalog().CreateOrLoadAsync(Scores(), CancellationToken.None);
        const int writers = 6;
        const int commitsEach = 3;

        var commits = await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var table = (await NewCatalog().LoadAsync(Scores().Id, CancellationToken.None))!;
            var result = new List<TableCommit>();
            for (var c = 0; c < commitsEach; c++)
                result.Add(await AppendAsync(table, Enumerable.Range(0, 10).Select(i => 1000L * w + 100 * c + i), $"course{w % 3}"));
            return result;
        })));

        var table = (await NewCatalog().LoadAsync(Scores().Id, CancellationToken.None))!;
        var history = await table.HistoryAsync(CancellationToken.None);
        Assert.Equal(commits.SelectMany(c => c).Select(c => c.SnapshotId).Order(), history.Select(h => h.SnapshotId).Order());
        Assert.Equal(Enumerable.Range(1, writers * commitsEach).Select(i => (long)i), history.Select(h => h.SequenceNumber));
        var ids = await IdsAsync(table);
        Assert.Equal(writers * commitsEach * 10, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(ids.Count.ToString(CultureInfo.InvariantCulture), history[^1].Summary["total-records"]);
    }

    [Fact]
    public async Task ParallelCreates_OfOneTable_EndWithOneTable()
    {
        var tables = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => NewCatalog().CreateOrLoadAsync(Scores(), CancellationToken.None))));

        Assert.All(tables, t => Assert.Equal(Scores().Id, t.Id));
        Assert.Equal([Scores().Id], await NewCatalog().ListTablesAsync("silver", CancellationToken.None));
        Assert.Empty(await NewCatalog().ListTablesAsync("gold", CancellationToken.None));
        await AppendAsync(tables[0], [1], "erin");
        Assert.Equal([1L], await IdsAsync(tables[3]));
    }

    [Fact]
    public async Task Load_ReturnsNull_ForAMissingTable()
    {
        Assert.Null(await NewCatalog().LoadAsync(new TableIdentifier("silver", "nothing"), CancellationToken.None));
    }

    [Fact]
    public async Task Replace_AndEvolve_ThroughAnotherCatalog_KeepTheRightRows()
    {
        var table = await NewCatalog().CreateOrLoadAsync(Scores(), CancellationToken.None);
        await AppendAsync(table, Enumerable.Range(1, 10).Select(i => (long)i), "erin");
        await AppendAsync(table, Enumerable.Range(20, 5).Select(i => (long)i), "pebble");
        await using (var writer = table.NewReplace(RowFilter.Where(("course", "erin"))))
        {
            await writer.WriteAsync(Batch(table.ArrowSchema, [50, 51, 52], "erin"), CancellationToken.None);
            var replaced = await writer.CommitAsync(CancellationToken.None);
            Assert.Equal((3L, 10L, 8L), (replaced.AddedRows, replaced.RemovedRows, replaced.TotalRows));
        }

        var evolved = await NewCatalog().CreateOrLoadAsync(Scores() with
        {
            Schema = new TableSchema(Scores().Schema.Fields.Append(new TableField(5, "note", TableType.String)).ToList()),
        }, CancellationToken.None);

        Assert.Equal([20L, 21, 22, 23, 24, 50, 51, 52], await IdsAsync(evolved));
        Assert.Equal("note", evolved.Schema.Fields[^1].Name);
        Assert.Equal("note", (await NewCatalog().LoadAsync(Scores().Id, CancellationToken.None))!.Schema.Fields[^1].Name);
    }

    [Fact]
    public async Task Namespaces_AreCreatedLoadedUpdatedAndDropped_AndRefuseWhatCannotBe()
    {
        var catalog = (ITableCatalogAdmin)NewCatalog();
        await catalog.CreateNamespaceAsync("analytics", new Dictionary<string, string> { ["owner"] = "pace-team", ["tier"] = "2" }, CancellationToken.None);

        Assert.Equal(CatalogErrorKind.AlreadyExists, (await Assert.ThrowsAsync<CatalogException>(() =>
            catalog.CreateNamespaceAsync("analytics", new Dictionary<string, string>(), CancellationToken.None))).Kind);
        Assert.Equal(new Dictionary<string, string> { ["owner"] = "pace-team", ["tier"] = "2" }, await catalog.LoadNamespaceAsync("analytics", CancellationToken.None));
        var change = await catalog.UpdateNamespacePropertiesAsync("analytics", new Dictionary<string, string> { ["tier"] = "1" }, ["owner", "absent"], CancellationToken.None);
        Assert.Equal(["tier"], change.Updated);
        Assert.Equal(["owner"], change.Removed);
        Assert.Equal(["absent"], change.Missing);
        Assert.Equal(new Dictionary<string, string> { ["tier"] = "1" }, await catalog.LoadNamespaceAsync("analytics", CancellationToken.None));
        Assert.Null(await catalog.LoadNamespaceAsync("nowhere", CancellationToken.None));

        await NewCatalog().CreateOrLoadAsync(Scores("analytics"), CancellationToken.None);
        Assert.Equal(["analytics"], await catalog.ListNamespacesAsync(CancellationToken.None));
        Assert.Equal(CatalogErrorKind.NamespaceNotEmpty, (await Assert.ThrowsAsync<CatalogException>(() =>
            catalog.DropNamespaceAsync("analytics", CancellationToken.None))).Kind);
        await catalog.DropTableAsync(Scores("analytics").Id, purge: false, CancellationToken.None);
        await catalog.DropNamespaceAsync("analytics", CancellationToken.None);
        Assert.Empty(await catalog.ListNamespacesAsync(CancellationToken.None));
        Assert.Equal(CatalogErrorKind.NoSuchNamespace, (await Assert.ThrowsAsync<CatalogException>(() =>
            catalog.DropNamespaceAsync("analytics", CancellationToken.None))).Kind);
    }

    [Fact]
    public async Task Tables_AreRenamedRegisteredAndDropped_KeepingTheirRows()
    {
        var catalog = NewCatalog();
        var admin = (ITableCatalogAdmin)catalog;
        var table = await catalog.CreateOrLoadAsync(Scores(), CancellationToken.None);
        await AppendAsync(table, [1, 2, 3], "erin");
        await catalog.CreateOrLoadAsync(Scores(name: "other"), CancellationToken.None);

        await admin.RenameTableAsync(Scores().Id, new TableIdentifier("silver", "renamed"), CancellationToken.None);
        Assert.Null(await catalog.LoadAsync(Scores().Id, CancellationToken.None));
        var renamed = (await NewCatalog().LoadAsync(new TableIdentifier("silver", "renamed"), CancellationToken.None))!;
        Assert.Equal([1L, 2, 3], await IdsAsync(renamed));
        await AppendAsync(renamed, [4], "erin");
        Assert.Equal(CatalogErrorKind.AlreadyExists, (await Assert.ThrowsAsync<CatalogException>(() =>
            admin.RenameTableAsync(new TableIdentifier("silver", "renamed"), Scores(name: "other").Id, CancellationToken.None))).Kind);
        Assert.Equal(CatalogErrorKind.NoSuchTable, (await Assert.ThrowsAsync<CatalogException>(() =>
            admin.RenameTableAsync(Scores().Id, new TableIdentifier("silver", "again"), CancellationToken.None))).Kind);

        var metadataLocation = await MetadataLocationAsync(new TableIdentifier("silver", "renamed"));
        await admin.DropTableAsync(new TableIdentifier("silver", "renamed"), purge: false, CancellationToken.None);
        Assert.Null(await catalog.LoadAsync(new TableIdentifier("silver", "renamed"), CancellationToken.None));
        var registered = await admin.RegisterTableAsync(new TableIdentifier("silver", "registered"), metadataLocation, CancellationToken.None);
        Assert.Equal([1L, 2, 3, 4], await IdsAsync(registered));
        Assert.Equal(CatalogErrorKind.AlreadyExists, (await Assert.ThrowsAsync<CatalogException>(() =>
            admin.RegisterTableAsync(new TableIdentifier("silver", "registered"), metadataLocation, CancellationToken.None))).Kind);

        await admin.DropTableAsync(new TableIdentifier("silver", "registered"), purge: true, CancellationToken.None);
        Assert.Equal(CatalogErrorKind.NoSuchTable, (await Assert.ThrowsAsync<CatalogException>(() =>
            admin.DropTableAsync(new TableIdentifier("silver", "registered"), purge: false, CancellationToken.None))).Kind);
        Assert.Equal([Scores(name: "other").Id], await catalog.ListTablesAsync(null, CancellationToken.None));
    }

    [Fact]
    public async Task Maintenance_CompactsAndExpiresSnapshots_ThroughTheCatalog()
    {
        var table = await NewCatalog().CreateOrLoadAsync(Scores(), CancellationToken.None);
        for (var i = 0; i < 4; i++) await AppendAsync(table, [i * 10L, i * 10L + 1], "erin");
        var maintenance = new TableMaintenance(NewCatalog());

        var compaction = await maintenance.CompactAsync(Scores().Id, 64L << 20, CancellationToken.None);
        var expiry = await maintenance.ExpireSnapshotsAsync(Scores().Id, keepLast: 1, DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);

        Assert.NotNull(compaction.SnapshotId);
        Assert.Equal((5, 1), (expiry.SnapshotsBefore, expiry.SnapshotsAfter));
        var reloaded = (await NewCatalog().LoadAsync(Scores().Id, CancellationToken.None))!;
        Assert.Equal([0L, 1, 10, 11, 20, 21, 30, 31], await IdsAsync(reloaded));
        Assert.Single(await reloaded.HistoryAsync(CancellationToken.None));
        Assert.Single(await reloaded.FilesAsync(null, CancellationToken.None));
    }

    /// <summary>The metadata file the catalog points the table at, as engines and `register` name it.</summary>
    protected abstract Task<string> MetadataLocationAsync(TableIdentifier id);

    protected static RecordBatch Batch(Schema schema, IEnumerable<long> ids, string course)
    {
        var list = ids.ToList();
        var id = new Int64Array.Builder();
        var name = new StringArray.Builder();
        var day = new Date32Array.Builder();
        var score = new DoubleArray.Builder();
        foreach (var i in list)
        {
            id.Append(i);
            name.Append(course);
            day.Append(May1);
            if (i % 3 == 0) score.AppendNull(); else score.Append(i * 1.5);
        }
        return new RecordBatch(schema, [id.Build(), name.Build(), day.Build(), score.Build()], list.Count);
    }

    protected static async Task<TableCommit> AppendAsync(ILakeTable table, IEnumerable<long> ids, string course)
    {
        await using var writer = table.NewAppend();
        await writer.WriteAsync(Batch(table.ArrowSchema, ids, course), CancellationToken.None);
        return await writer.CommitAsync(CancellationToken.None);
    }

    protected static async Task<List<long>> IdsAsync(ILakeTable table)
    {
        var ids = new List<long>();
        await foreach (var batch in table.ScanAsync(new TableScan { Columns = ["id"] }, CancellationToken.None))
            using (batch)
                for (var i = 0; i < batch.Length; i++) ids.Add(((Int64Array)batch.Column(0)).GetValue(i)!.Value);
        return ids.Order().ToList();
    }
}
