using Lakehouse.Core.Tables;
using Lakehouse.Core.Tables.Iceberg;
using static Lakehouse.Core.Tests.Tables.TableTestLake;

namespace Lakehouse.Core.Tests.Tables.Iceberg;

public sealed class PartitionedFileWriterTests : IDisposable
{
    private readonly TableTestLake _lake = new();

    public void Dispose() => _lake.Dispose();

    [Fact]
    public async Task Write_RollsToANewFile_OnceAFileReachesTheTargetSize()
    {
        var schema = new IcebergSchema(0, Events.Schema.Fields);
        var spec = new PartitionSpec(0, [new PartitionSpecField(2, 1000, "course", PartitionTransform.Identity)]);
        using var writer = new PartitionedFileWriter(_lake.Store, _lake.Objects.Staging, "rolled", schema, spec, targetFileSize: 16 * 1024, rowGroupRows: 500);
        var day = new DateOnly(2024, 5, 1);
        var arrow = IcebergTypes.ArrowSchemaOf(schema.Fields);
        for (var b = 0; b < 10; b++)
            await writer.WriteAsync(Batch(arrow, Enumerable.Range(b * 1000, 1000).Select(i => Row(i, i % 10 == 0 ? "small" : "big", day)).ToList()), CancellationToken.None);

        var files = await writer.FinishAsync(CancellationToken.None);

        Assert.Equal(10_000, files.Sum(f => f.RecordCount));
        Assert.Equal(1_000, files.Where(f => (string?)f.Partition[0] == "small").Sum(f => f.RecordCount));
        Assert.True(files.Count(f => (string?)f.Partition[0] == "big") > 2, $"{files.Count} files");
        foreach (var file in files)
        {
            Assert.Equal(new FileInfo(new Uri(file.Path).LocalPath).Length, file.FileSizeInBytes);
            Assert.Equal(file.RecordCount, file.ValueCounts[1]);
            Assert.Equal(0, file.NullValueCounts[1]);
            Assert.True(IcebergValues.Compare(IcebergValues.Decode(TableType.Long, file.LowerBounds[1]), IcebergValues.Decode(TableType.Long, file.UpperBounds[1])) <= 0);
        }
    }

    [Fact]
    public async Task UnpartitionedTable_WritesItsFilesDirectlyUnderData_AndReadsThemBack()
    {
        var definition = new TableDefinition(new TableIdentifier("gold", "flat"), TableSchemas.Sequential(("id", TableType.Long, true)), []);
        var table = await _lake.Catalog.CreateOrLoadAsync(definition, CancellationToken.None);
        var id = new Apache.Arrow.Int64Array.Builder();
        for (var i = 0; i < 5; i++) id.Append(i);
        await using (var writer = table.NewAppend())
        {
            await writer.WriteAsync(new Apache.Arrow.RecordBatch(table.ArrowSchema, [id.Build()], 5), CancellationToken.None);
            await writer.CommitAsync(CancellationToken.None);
        }

        var file = Assert.Single(await table.FilesAsync(null, CancellationToken.None));
        var rows = 0L;
        await foreach (var batch in table.ScanAsync(new TableScan(), CancellationToken.None)) rows += batch.Length;

        Assert.Matches("/flat/data/[0-9a-f]{32}\\.parquet$", file.Path);
        Assert.Equal(5, rows);
    }

    [Fact]
    public async Task DayPartitionedTable_SplitsByDay_AndPrunesByTimestamp()
    {
        var definition = new TableDefinition(new TableIdentifier("gold", "fixes"),
            TableSchemas.Sequential(("id", TableType.Long, true), ("at", TableType.TimestampTz, false), ("course", TableType.String, false)),
            [new TablePartitionField("at", PartitionTransform.Day, "at_day")]);
        var table = await _lake.Catalog.CreateOrLoadAsync(definition, CancellationToken.None);
        var start = new DateTimeOffset(2024, 5, 1, 22, 0, 0, TimeSpan.Zero);
        var id = new Apache.Arrow.Int64Array.Builder();
        var at = new Apache.Arrow.TimestampArray.Builder((Apache.Arrow.Types.TimestampType)table.ArrowSchema.GetFieldByName("at").DataType);
        var course = new Apache.Arrow.StringArray.Builder();
        for (var i = 0; i < 48; i++)
        {
            id.Append(i);
            if (i == 47) at.AppendNull(); else at.Append(start.AddHours(i));
            course.Append("erin");
        }
        await using (var writer = table.NewAppend())
        {
            await writer.WriteAsync(new Apache.Arrow.RecordBatch(table.ArrowSchema, [id.Build(), at.Build(), course.Build()], 48), CancellationToken.None);
            await writer.CommitAsync(CancellationToken.None);
        }

        var files = await table.FilesAsync(null, CancellationToken.None);
        var found = new List<long>();
        await foreach (var batch in table.ScanAsync(new TableScan { Filter = RowFilter.Where(("at", start.AddHours(5))) }, CancellationToken.None))
            for (var i = 0; i < batch.Length; i++) found.Add(((Apache.Arrow.Int64Array)batch.Column(0)).GetValue(i)!.Value);

        Assert.Equal(["2024-05-01", "2024-05-02", "2024-05-03", "null"], files.Select(f => f.PartitionValues["at_day"]).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal([2L, 24L, 21L, 1L], files.OrderBy(f => f.PartitionValues["at_day"], StringComparer.Ordinal).Select(f => f.RecordCount).ToArray());
        Assert.Equal([5L], found);
        Assert.StartsWith(_lake.Objects.For("gold").LocationOf("fixes"), files[0].Path);
    }

    [Theory]
    [InlineData(90)]
    [InlineData(360)]
    public async Task UnorderedRowsOverManyMoreDaysThanOpenFiles_AreClusteredIntoOneFilePerPartition_WithEveryRowExactlyOnce(int days)
    {
        // A full-history export: every batch holds rows of most days, in no order (as exports come).
        Assert.True(days > PartitionedFileWriter.MaxOpenFiles);
        var random = new Random(16);
        var first = new DateOnly(2024, 1, 1);
        var rows = Enumerable.Range(0, days * 800).Select(i => Row(i, "erin", first.AddDays(random.Next(days)))).OrderBy(_ => random.Next()).ToList();
        var table = await _lake.CreateEventsAsync();

        TableCommit commit;
        await using (var writer = table.NewAppend())
        {
            foreach (var chunk in rows.Chunk(4096)) await writer.WriteAsync(Batch(table.ArrowSchema, chunk), CancellationToken.None);
            commit = await writer.CommitAsync(CancellationToken.None);
        }

        var files = await table.FilesAsync(null, CancellationToken.None);
        var perDay = files.GroupBy(f => f.PartitionValues["day"]).ToList();
        Assert.Equal(days, perDay.Count);
        Assert.All(perDay, g => Assert.Single(g)); // a few hundred KB a day: one file each (at most 2 is the target)
        Assert.Equal(days, commit.AddedFiles);
        var read = (await ReadAsync(table)).OrderBy(r => r.Id).ToList();
        Assert.Equal(rows.Count, read.Count);
        foreach (var (expected, actual) in rows.OrderBy(r => r.Id).Zip(read)) Assert.True(expected.Same(actual), $"row {expected.Id} differs: {actual}");
        foreach (var g in perDay)
            Assert.Equal(rows.Count(r => r.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) == g.Key), g.Single().RecordCount);
        Assert.Empty(Directory.EnumerateFiles(_lake.Objects.Staging.Folder)); // spill runs removed
    }
}
