using Apache.Arrow;
using Lakehouse.Core.Config;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Tables;
using Lakehouse.Core.Tables.Catalog;
using Lakehouse.Core.Tables.Iceberg;

namespace Lakehouse.Core.Tests.Tables;

/// <summary>One event row of the test table, in CLR values.</summary>
public sealed record EventRow(long Id, string Course, DateOnly Day, DateTimeOffset? At, double? Score, bool? Flag, byte[]? Payload, int? Hole)
{
    public bool Same(EventRow other) =>
        Id == other.Id && Course == other.Course && Day == other.Day && At == other.At && Score == other.Score && Flag == other.Flag
        && Hole == other.Hole && (Payload is null ? other.Payload is null : other.Payload is not null && Payload.AsSpan().SequenceEqual(other.Payload));
}

/// <summary>A temporary lake folder with a SQLite catalog, the test table definition and row helpers.</summary>
public sealed class TableTestLake : IDisposable
{
    private readonly string? _postgres;

    /// <summary>A lake with a SQLite catalog, or a PostgreSQL one when a connection string is given.</summary>
    public TableTestLake(string? postgresConnectionString = null)
    {
        _postgres = postgresConnectionString;
        Home = Path.Combine(Path.GetTempPath(), $"tm-tables-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Home);
        Objects = new LocalObjectStoreProvider(new LakehouseOptions { Home = Home });
        CatalogPath = Path.Combine(Home, "catalog.db");
        Catalog = NewCatalog();
    }

    public string Home { get; }
    public string CatalogPath { get; }
    public IObjectStoreProvider Objects { get; }
    public ITableCatalog Catalog { get; }
    public TableMaintenance Maintenance => new(Catalog);

    public ITableCatalog NewCatalog(TimeProvider? clock = null) => _postgres is null
        ? TableCatalogs.Sqlite(CatalogPath, Objects, clock ?? TimeProvider.System)
        : TableCatalogs.Postgres(_postgres, Objects, clock ?? TimeProvider.System);

    public LocalObjectStore Store => (LocalObjectStore)Objects.For("silver");

    public static TableDefinition Events { get; } = new(
        new TableIdentifier("silver", "events"),
        TableSchemas.Sequential(
            ("id", TableType.Long, true),
            ("course", TableType.String, true),
            ("day", TableType.Date, true),
            ("at", TableType.TimestampTz, false),
            ("score", TableType.Double, false),
            ("flag", TableType.Boolean, false),
            ("payload", TableType.Binary, false),
            ("hole", TableType.Int, false)),
        [new("course", PartitionTransform.Identity, "course"), new("day", PartitionTransform.Identity, "day")]);

    public Task<ILakeTable> CreateEventsAsync() => Catalog.CreateOrLoadAsync(Events, CancellationToken.None);

    public static EventRow Row(long id, string course, DateOnly day, int? hole = null) => new(
        id, course, day,
        id % 5 == 0 ? null : new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddSeconds(id * 7.25),
        id % 4 == 0 ? null : id * 1.5,
        id % 3 == 0 ? null : id % 2 == 0,
        id % 6 == 0 ? null : [(byte)id, 0, 255, (byte)(id >> 8)],
        hole ?? (id % 7 == 0 ? null : (int)(id % 18) + 1));

    public static RecordBatch Batch(Schema schema, IReadOnlyList<EventRow> rows)
    {
        var id = new Int64Array.Builder();
        var course = new StringArray.Builder();
        var day = new Date32Array.Builder();
        var at = new TimestampArray.Builder((Apache.Arrow.Types.TimestampType)schema.GetFieldByName("at").DataType);
        var score = new DoubleArray.Builder();
        var flag = new BooleanArray.Builder();
        var payload = new BinaryArray.Builder();
        var hole = new Int32Array.Builder();
        foreach (var r in rows)
        {
            id.Append(r.Id);
            course.Append(r.Course);
            day.Append(r.Day);
            if (r.At is { } t) at.Append(t); else at.AppendNull();
            if (r.Score is { } s) score.Append(s); else score.AppendNull();
            if (r.Flag is { } f) flag.Append(f); else flag.AppendNull();
            if (r.Payload is { } p) payload.Append(p.AsSpan()); else payload.AppendNull();
            if (r.Hole is { } h) hole.Append(h); else hole.AppendNull();
        }
        return new RecordBatch(schema,
            [id.Build(), course.Build(), day.Build(), at.Build(), score.Build(), flag.Build(), payload.Build(), hole.Build()], rows.Count);
    }

    public static async Task<TableCommit> AppendAsync(ILakeTable table, IReadOnlyList<EventRow> rows)
    {
        await using var writer = table.NewAppend();
        await writer.WriteAsync(Batch(table.ArrowSchema, rows), CancellationToken.None);
        return await writer.CommitAsync(CancellationToken.None);
    }

    public static async Task<TableCommit> ReplaceAsync(ILakeTable table, RowFilter filter, IReadOnlyList<EventRow> rows)
    {
        await using var writer = table.NewReplace(filter);
        if (rows.Count > 0) await writer.WriteAsync(Batch(table.ArrowSchema, rows), CancellationToken.None);
        return await writer.CommitAsync(CancellationToken.None);
    }

    public static async Task<List<EventRow>> ReadAsync(ILakeTable table, TableScan? scan = null)
    {
        var rows = new List<EventRow>();
        await foreach (var batch in table.ScanAsync(scan ?? new TableScan(), CancellationToken.None))
        {
            using (batch)
            {
                var schema = batch.Schema;
                IArrowArray Col(string name) => batch.Column(schema.GetFieldIndex(name));
                for (var i = 0; i < batch.Length; i++)
                {
                    rows.Add(new EventRow(
                        ((Int64Array)Col("id")).GetValue(i)!.Value,
                        ((StringArray)Col("course")).GetString(i),
                        DateOnly.FromDayNumber(((Date32Array)Col("day")).Values[i] + new DateOnly(1970, 1, 1).DayNumber),
                        ((TimestampArray)Col("at")).GetTimestamp(i),
                        ((DoubleArray)Col("score")).GetValue(i),
                        ((BooleanArray)Col("flag")).GetValue(i),
                        Col("payload").IsNull(i) ? null : ((BinaryArray)Col("payload")).GetBytes(i).ToArray(),
                        ((Int32Array)Col("hole")).GetValue(i)));
                }
            }
        }
        return rows.OrderBy(r => r.Id).ToList();
    }

    public static void AssertSameRows(IReadOnlyList<EventRow> expected, IReadOnlyList<EventRow> actual)
    {
        var e = expected.OrderBy(r => r.Id).ToList();
        Assert.Equal(e.Count, actual.Count);
        for (var i = 0; i < e.Count; i++)
            Assert.True(e[i].Same(actual[i]), $"Row {i}: expected {e[i]}, got {actual[i]}");
    }

    public void Dispose()
    {
        try
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on some platform; the temp folder is cleaned by the OS.
        }
    }
}
