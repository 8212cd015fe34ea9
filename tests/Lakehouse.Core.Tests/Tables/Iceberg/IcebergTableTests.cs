using System.Text.Json;
using Lakehouse.Core.Tables;
using static Lakehouse.Core.Tests.Tables.TableTestLake;

namespace Lakehouse.Core.Tests.Tables.Iceberg;

public sealed class IcebergTableTests : IDisposable
{
    private static readonly DateOnly May1 = new(2024, 5, 1);
    private static readonly DateOnly May2 = new(2024, 5, 2);
    private readonly TableTestLake _lake = new();

    public void Dispose() => _lake.Dispose();

    private static List<EventRow> Rows(long from, int count, string course, DateOnly day) =>
        Enumerable.Range(0, count).Select(i => Row(from + i, course, day)).ToList();

    [Fact]
    public async Task Append_ThenScan_ReturnsSameRows_WithNullsTimestampsDatesAndBinary()
    {
        var table = await _lake.CreateEventsAsync();
        var rows = Rows(1, 40, "erin", May1).Concat(Rows(100, 30, "pebble", May2)).ToList();

        var commit = await AppendAsync(table, rows);

        Assert.Equal(70, commit.AddedRows);
        Assert.Equal(70, commit.TotalRows);
        Assert.Equal(2, commit.AddedFiles);
        Assert.Contains(rows, r => r.At is null);
        Assert.Contains(rows, r => r.Payload is null);
        AssertSameRows(rows, await ReadAsync(table));
        var files = await table.FilesAsync(null, CancellationToken.None);
        Assert.Equal(["erin/2024-05-01", "pebble/2024-05-02"],
            files.Select(f => $"{f.PartitionValues["course"]}/{f.PartitionValues["day"]}").Order().ToArray());
    }

    [Fact]
    public async Task Scan_WithFilter_ReturnsOnlyMatchingRows()
    {
        var table = await _lake.CreateEventsAsync();
        var rows = Rows(1, 40, "erin", May1).Concat(Rows(100, 30, "pebble", May2)).ToList();
        await AppendAsync(table, rows);

        var pebble = await ReadAsync(table, new TableScan { Filter = RowFilter.Where(("course", "pebble")) });
        var hole3 = await ReadAsync(table, new TableScan { Filter = RowFilter.Where(("hole", 3), ("day", May1)) });

        AssertSameRows(rows.Where(r => r.Course == "pebble").ToList(), pebble);
        AssertSameRows(rows.Where(r => r.Hole == 3 && r.Day == May1).ToList(), hole3);
        Assert.NotEmpty(hole3);
    }

    [Fact]
    public async Task Replace_KeepsOtherPartitions_WhenOnePartitionIsRewritten()
    {
        var table = await _lake.CreateEventsAsync();
        await AppendAsync(table, Rows(1, 20, "erin", May1));
        await AppendAsync(table, Rows(100, 20, "erin", May2));
        await AppendAsync(table, Rows(200, 20, "pebble", May1));
        var fresh = Rows(1, 25, "erin", May1).Select(r => r with { Score = 99 }).ToList();

        var commit = await ReplaceAsync(table, RowFilter.Where(("course", "erin"), ("day", May1)), fresh);
        var again = await ReplaceAsync(table, RowFilter.Where(("course", "erin"), ("day", May1)), fresh);

        Assert.Equal(20, commit.RemovedRows);
        Assert.Equal(1, commit.RemovedFiles);
        Assert.Equal(25, again.RemovedRows);
        var expected = fresh.Concat(Rows(100, 20, "erin", May2)).Concat(Rows(200, 20, "pebble", May1)).ToList();
        AssertSameRows(expected, await ReadAsync(table));
        var history = await table.HistoryAsync(CancellationToken.None);
        Assert.Equal(["append", "append", "append", "overwrite", "overwrite"], history.Select(h => h.Operation).ToArray());
        Assert.Equal("true", history[^1].Summary["replace-partitions"]);
        Assert.Equal("65", history[^1].Summary["total-records"]);
    }

    [Fact]
    public async Task Replace_RewritesOnlyNonMatchingRows_WhenAFileHoldsBoth()
    {
        var table = await _lake.CreateEventsAsync();
        var rows = Enumerable.Range(1, 30).Select(i => Row(i, "erin", May1, hole: i % 3 + 1)).ToList();
        await AppendAsync(table, rows);
        var fresh = new[] { Row(500, "erin", May1, hole: 2), Row(501, "erin", May1, hole: 2) };

        var commit = await ReplaceAsync(table, RowFilter.Where(("hole", 2)), fresh);

        Assert.Equal(10, commit.RemovedRows);
        Assert.Equal(1, commit.RemovedFiles);
        var expected = rows.Where(r => r.Hole != 2).Concat(fresh).ToList();
        AssertSameRows(expected, await ReadAsync(table));
        var snapshot = (await table.HistoryAsync(CancellationToken.None))[^1];
        Assert.Equal("overwrite", snapshot.Operation);
        Assert.Equal("22", snapshot.Summary["total-records"]);
        Assert.Equal(2, (await table.FilesAsync(null, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Replace_RejectsRows_ThatDoNotMatchItsFilter()
    {
        var table = await _lake.CreateEventsAsync();
        await using var writer = table.NewReplace(RowFilter.Where(("course", "erin")));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() =>
            writer.WriteAsync(Batch(table.ArrowSchema, [Row(1, "erin", May1), Row(2, "pebble", May1)]), CancellationToken.None));

        Assert.Contains("row 1", error.Message);
        Assert.Contains("course = erin", error.Message);
    }

    [Fact]
    public async Task Scan_AtOlderSnapshot_ReturnsTheRowsOfThatSnapshot()
    {
        var table = await _lake.CreateEventsAsync();
        var first = await AppendAsync(table, Rows(1, 10, "erin", May1));
        await ReplaceAsync(table, RowFilter.Where(("course", "erin")), Rows(50, 3, "erin", May1));
        await AppendAsync(table, Rows(80, 5, "pebble", May1));

        var old = await ReadAsync(table, new TableScan { SnapshotId = first.SnapshotId });
        var oldFiles = await table.FilesAsync(first.SnapshotId, CancellationToken.None);

        AssertSameRows(Rows(1, 10, "erin", May1), old);
        Assert.Equal(10, oldFiles.Sum(f => f.RecordCount));
        AssertSameRows(Rows(50, 3, "erin", May1).Concat(Rows(80, 5, "pebble", May1)).ToList(), await ReadAsync(table));
    }

    [Fact]
    public async Task CreateOrLoad_AddsAnOptionalColumn_AndOldFilesReadItAsNull()
    {
        var table = await _lake.CreateEventsAsync();
        await AppendAsync(table, Rows(1, 5, "erin", May1));
        var evolved = Events with
        {
            Schema = new TableSchema(Events.Schema.Fields.Append(new TableField(9, "note", TableType.String)).ToList()),
        };

        var reloaded = await _lake.NewCatalog().CreateOrLoadAsync(evolved, CancellationToken.None);
        await using (var writer = reloaded.NewAppend())
        {
            var batch = Batch(table.ArrowSchema, Rows(10, 2, "erin", May1));
            var note = new Apache.Arrow.StringArray.Builder().Append("new").Append("newer").Build();
            await writer.WriteAsync(new Apache.Arrow.RecordBatch(reloaded.ArrowSchema, batch.Arrays.Append(note), 2), CancellationToken.None);
            await writer.CommitAsync(CancellationToken.None);
        }

        Assert.Equal(1, reloaded.Schema.SchemaId);
        var notes = new List<string>();
        await foreach (var b in reloaded.ScanAsync(new TableScan { Columns = ["id", "note"] }, CancellationToken.None))
            for (var i = 0; i < b.Length; i++)
                notes.Add($"{((Apache.Arrow.Int64Array)b.Column(0)).GetValue(i)}:{((Apache.Arrow.StringArray)b.Column(1)).GetString(i) ?? "null"}");
        Assert.Equal(["10:new", "11:newer", "1:null", "2:null", "3:null", "4:null", "5:null"], notes.Order(StringComparer.Ordinal).ToArray());
        AssertSameRows(Rows(1, 5, "erin", May1).Concat(Rows(10, 2, "erin", May1)).ToList(), await ReadAsync(reloaded));

        // Files written before the column existed hold no matching row: only the newer file is rewritten.
        var replace = await ReplaceAsync(reloaded, RowFilter.Where(("note", "new")), []);
        Assert.Equal(1, replace.RemovedRows);
        Assert.Equal(1, replace.RemovedFiles);
        var left = (await ReadAsync(reloaded)).Select(r => r.Id).ToArray();
        Assert.Equal([1L, 2, 3, 4, 5, 11], left);
    }

    [Fact]
    public async Task Write_RejectsANullInARequiredColumn_NamingRowAndColumn()
    {
        var table = await _lake.CreateEventsAsync();
        var course = new Apache.Arrow.StringArray.Builder().Append("erin").AppendNull().Build();
        var schema = new Apache.Arrow.Schema([table.ArrowSchema.GetFieldByName("id"), new Apache.Arrow.Field("course", Apache.Arrow.Types.StringType.Default, true),
            table.ArrowSchema.GetFieldByName("day")], null);
        var batch = new Apache.Arrow.RecordBatch(schema, [
            new Apache.Arrow.Int64Array.Builder().Append(1).Append(2).Build(), course,
            new Apache.Arrow.Date32Array.Builder().Append(May1).Append(May1).Build()], 2);
        await using var writer = table.NewAppend();

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => writer.WriteAsync(batch, CancellationToken.None));

        Assert.Contains("row 1", error.Message);
        Assert.Contains("'course'", error.Message);
    }

    [Fact]
    public async Task Dispose_WithoutCommit_LeavesTheTableAndStoreUntouched()
    {
        var table = await _lake.CreateEventsAsync();
        await AppendAsync(table, Rows(1, 5, "erin", May1));
        var filesBefore = Directory.GetFiles(_lake.Store.PathOf("events/data"), "*.parquet", SearchOption.AllDirectories).Length;

        await using (var writer = table.NewAppend())
            await writer.WriteAsync(Batch(table.ArrowSchema, Rows(100, 5, "pebble", May2)), CancellationToken.None);

        Assert.Equal(filesBefore, Directory.GetFiles(_lake.Store.PathOf("events/data"), "*.parquet", SearchOption.AllDirectories).Length);
        Assert.Equal(5, (await ReadAsync(table)).Count);
        Assert.Single(await table.HistoryAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Metadata_HasTheFieldsOtherEnginesNeed()
    {
        var table = await _lake.CreateEventsAsync();
        var commit = await AppendAsync(table, Rows(1, 5, "erin", May1));

        var metadataDir = _lake.Store.PathOf("events/metadata");
        var hint = await File.ReadAllTextAsync(Path.Combine(metadataDir, "version-hint.text"));
        Assert.Equal("1", hint);
        var file = Directory.GetFiles(metadataDir, "00001-*.metadata.json").Single();
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(file));
        var root = json.RootElement;
        Assert.Equal(2, root.GetProperty("format-version").GetInt32());
        Assert.Equal(commit.SnapshotId, root.GetProperty("current-snapshot-id").GetInt64());
        Assert.Equal(commit.SnapshotId, root.GetProperty("refs").GetProperty("main").GetProperty("snapshot-id").GetInt64());
        Assert.Equal(1001, root.GetProperty("last-partition-id").GetInt32());
        var snapshot = root.GetProperty("snapshots")[0];
        Assert.Equal(1, snapshot.GetProperty("sequence-number").GetInt64());
        Assert.All(snapshot.GetProperty("summary").EnumerateObject(), p => Assert.Equal(JsonValueKind.String, p.Value.ValueKind));
        Assert.Equal("5", snapshot.GetProperty("summary").GetProperty("total-records").GetString());
        Assert.Single(root.GetProperty("metadata-log").EnumerateArray());

        var dataFile = Directory.GetFiles(_lake.Store.PathOf("events/data"), "*.parquet", SearchOption.AllDirectories).Single();
        using var parquet = new ParquetSharp.ParquetFileReader(dataFile);
        var schema = parquet.FileMetaData.Schema;
        Assert.Equal(Enumerable.Range(1, 8).ToArray(), Enumerable.Range(0, schema.NumColumns).Select(c => schema.Column(c).SchemaNode.FieldId).ToArray());
        Assert.True(parquet.FileMetaData.KeyValueMetadata.ContainsKey("iceberg.schema"));
        var at = schema.Column(3).LogicalType as ParquetSharp.TimestampLogicalType;
        Assert.NotNull(at);
        Assert.True(at.IsAdjustedToUtc);
        Assert.Equal(ParquetSharp.TimeUnit.Micros, at.TimeUnit);
        Assert.IsType<ParquetSharp.DateLogicalType>(schema.Column(2).LogicalType);
    }

    [Fact]
    public async Task Scan_NamesTheDataFile_WhenItIsCorrupt()
    {
        var table = await _lake.CreateEventsAsync();
        await AppendAsync(table, Rows(1, 5, "erin", May1));
        var file = (await table.FilesAsync(null, CancellationToken.None)).Single();
        await File.WriteAllBytesAsync(new Uri(file.Path).LocalPath, new byte[file.SizeInBytes]);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync(table));

        Assert.Contains(file.Path, error.Message);
    }
}
