using System.Data.Common;
using Lakehouse.Core.Instance;

namespace Lakehouse.Core.Tests.Instance;

public abstract partial class InstanceStoreContract
{
    private static string Sha(char c) => new(c, 64);

    private static LedgerEntry Entry(string key, string target, char sha, string run = "r1") =>
        new(key, target, 1234, Sha(sha), run, 99, At(1)) { Layer = "bronze", Format = LedgerFormats.Csv };

    [Fact]
    public async Task Ledger_FindsAFileByPartitionAndHash_AndKeepsOneEntryPerContent()
    {
        var ledger = Instance.Ledger;
        var first = Entry("course_id=c1/ingest_date=2025-06-01/a.json", "c1|2025-06-01", 'a') with { Format = LedgerFormats.Json };
        var id = await ledger.AddAsync(first, None);
        var otherId = await ledger.AddAsync(first with { Key = "course_id=c2/ingest_date=2025-06-01/a.json", Partition = "c2|2025-06-01" }, None);

        var found = await ledger.FindAsync("c1|2025-06-01", Sha('a'), None);
        Assert.Equal(first with { Id = id }, found);
        Assert.Null(await ledger.FindAsync("c1|2025-06-01", Sha('b'), None));
        Assert.Null(await ledger.FindAsync("c3|2025-06-01", Sha('a'), None));

        // Landing the same bytes again in the same partition is a no-op that points at the first entry.
        Assert.Equal(id, await ledger.AddAsync(first with { Key = "again.json", RunId = "r2" }, None));
        Assert.Equal([id, otherId], (await ledger.ListAsync(null, None)).Select(e => e.Id));
        Assert.Equal([first with { Id = id }], await ledger.ListAsync("c1|2025-06-01", None));
    }

    [Fact]
    public async Task Ledger_KeepsEveryFieldOfARow_ByteForByte()
    {
        var entry = new LedgerEntry("spatial/sections/part-0.parquet", "spatial/course_sections", 5_000_000_000, Sha('c'), "run-9", 18, At(7))
        {
            Layer = Lakehouse.Core.Objects.Layers.Spatial,
            Format = LedgerFormats.GeoParquet,
            BatchId = "b1",
            Uploader = "ops",
            Intent = "course_sections",
            Crs = "EPSG:4326",
            Bbox = new LedgerBoundingBox(-88.0125, 43.7001, -87.99, 43.72),
            Metadata = """{"project":"ALPHA","course_id":"erinhills","n":[1,2]}""",
        };
        var id = await Instance.Ledger.AddAsync(entry, None);

        Assert.Equal(entry with { Id = id }, await Instance.Ledger.GetAsync(id, None));
        Assert.Null(await Instance.Ledger.GetAsync(id + 1, None));
    }

    [Fact]
    public async Task Ledger_RefusesASecondContentForTheSameKey()
    {
        await Instance.Ledger.AddAsync(Entry("k/a.csv", "t1", 'a'), None);

        var taken = await Assert.ThrowsAsync<LedgerKeyTakenException>(() => Instance.Ledger.AddAsync(Entry("k/a.csv", "t2", 'b'), None));

        Assert.Equal(("bronze", "k/a.csv"), (taken.Layer, taken.Key));
        // The same key in another layer's bucket is another object.
        await Instance.Ledger.AddAsync(Entry("k/a.csv", "t2", 'b') with { Layer = "silver" }, None);
        Assert.Equal(2, (await Instance.Ledger.ListAsync(null, None)).Count);
    }

    [Theory]
    [InlineData("sha256", "abc")]
    [InlineData("sha256", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("format", "xlsx")]
    [InlineData("layer", "elsewhere")]
    [InlineData("size", "-1")]
    public async Task Ledger_SchemaRefusesARowBreakingItsRules(string field, string value)
    {
        var entry = Entry("k/a.csv", "t1", 'a');
        entry = field switch
        {
            "sha256" => entry with { Sha256 = value },
            "format" => entry with { Format = value },
            "layer" => entry with { Layer = value },
            _ => entry with { Size = long.Parse(value) },
        };

        await Assert.ThrowsAnyAsync<DbException>(() => Instance.Ledger.AddAsync(entry, None));
        Assert.Empty(await Instance.Ledger.ListAsync(null, None));
    }

    [Fact]
    public async Task Ledger_Query_FiltersByBatchKeyPrefixAndRun_NewestFirst()
    {
        var ledger = Instance.Ledger;
        var a = await ledger.AddAsync(Entry("course_id=c1/ingest_date=d1/a.csv", "c1|d1", 'a') with { BatchId = "b1" }, None);
        var b = await ledger.AddAsync(Entry("course_id=c1/ingest_date=d2/b.csv", "c1|d2", 'b') with { BatchId = "b1" }, None);
        var c = await ledger.AddAsync(Entry("course_id=c2/ingest_date=d1/c.csv", "c2|d1", 'c', run: "r2") with { BatchId = "b2" }, None);
        // A LIKE wildcard in the prefix is a plain character.
        var d = await ledger.AddAsync(Entry("course_id=c%/x.csv", "c9|d1", 'd'), None);

        Assert.Equal([b, a], (await ledger.QueryAsync(new LedgerQuery { BatchId = "b1" }, None)).Select(e => e.Id));
        Assert.Equal([b, a], (await ledger.QueryAsync(new LedgerQuery { KeyPrefix = "course_id=c1/" }, None)).Select(e => e.Id));
        Assert.Equal([a], (await ledger.QueryAsync(new LedgerQuery { KeyPrefix = "course_id=c1/ingest_date=d1/a.csv" }, None)).Select(e => e.Id));
        Assert.Equal([d], (await ledger.QueryAsync(new LedgerQuery { KeyPrefix = "course_id=c%" }, None)).Select(e => e.Id));
        Assert.Equal([c], (await ledger.QueryAsync(new LedgerQuery { RunId = "r2" }, None)).Select(e => e.Id));
        Assert.Equal([d, c], (await ledger.QueryAsync(new LedgerQuery { Limit = 2 }, None)).Select(e => e.Id));
        Assert.Empty(await ledger.QueryAsync(new LedgerQuery { BatchId = "b1", Layer = "gold" }, None));
    }

    [Fact]
    public async Task Ledger_Delete_RemovesOnlyThatEntry_AndToleratesAMissingId()
    {
        var ledger = Instance.Ledger;
        var keep = await ledger.AddAsync(Entry("k/a.csv", "c1|d1", 'a'), None);
        var drop = await ledger.AddAsync(Entry("k/b.csv", "c1|d1", 'b'), None);

        await ledger.DeleteAsync(drop, None);
        await ledger.DeleteAsync(drop, None);

        Assert.Null(await ledger.FindAsync("c1|d1", Sha('b'), None));
        Assert.Equal([keep], (await ledger.ListAsync(null, None)).Select(e => e.Id));
    }

    [Fact]
    public async Task Migration10_MovesTheIngestLedgersRows_KeepingTheirIds_AndTheNewestRowOfARepeatedKey()
    {
        // The schema as it was before migration 10, with three rows: one JSON file, and a CSV key landed twice (a stale row and its replacement).
        await Instance.DisposeAsync();
        await ExecuteSqlAsync(Database, $"""
            DROP TABLE ledger;
            DELETE FROM schema_migrations WHERE version = 10;
            CREATE TABLE ingest_ledger (id bigint PRIMARY KEY, key text NOT NULL, partition_key text NOT NULL, size bigint NOT NULL,
                sha256 text NOT NULL, run_id text NOT NULL, row_count bigint NOT NULL, landed_at {TimeColumn} NOT NULL);
            INSERT INTO ingest_ledger VALUES (7, 'course_id=c1/ingest_date=d1/a.JSON', 'c1|d1', 10, '{Sha('a')}', 'r1', 3, {TimeLiteral(At(1))});
            INSERT INTO ingest_ledger VALUES (8, 'course_id=c1/ingest_date=d1/b.csv', 'c1|d1', 20, '{Sha('b')}', 'r1', 4, {TimeLiteral(At(2))});
            INSERT INTO ingest_ledger VALUES (9, 'course_id=c1/ingest_date=d1/b.csv', 'c1|d1', 30, '{Sha('c')}', 'r2', 5, {TimeLiteral(At(3))});
            """);
        Instance = await OpenAsync(Database);

        var rows = await Instance.Ledger.ListAsync(null, None);

        Assert.Equal([(7L, LedgerFormats.Json, 10L), (9L, LedgerFormats.Csv, 30L)], rows.Select(r => (r.Id, r.Format, r.Size)));
        Assert.All(rows, r => Assert.Equal(("bronze", "{}"), (r.Layer, r.Metadata)));
        Assert.Equal(At(3), rows[1].LandedAt);
        // New rows get ids after the kept ones.
        Assert.True(await Instance.Ledger.AddAsync(Entry("k/new.csv", "t", 'd'), None) > 9);
    }
}
