using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Core.Tables;
using Lakehouse.Core.Tables.Iceberg;

namespace Lakehouse.Core.Tests.Tables.Iceberg;

public sealed class ColumnGatherTests
{
    // Runs of several lengths, single rows, a repeated jump back, nulls at run edges, and the last row.
    private static readonly int[] Rows = [0, 1, 2, 5, 7, 8, 9, 10, 3, 4, 19];

    public static TheoryData<string> Kinds => new() { "int", "date", "long", "double", "timestamp", "bool", "string", "binary" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Gather_CopiesTheChosenRowsInOrder_WithTheirNulls(string kind)
    {
        var (source, type) = Column(kind, length: 20, offset: 0);

        var gathered = Gather(source, type);

        AssertCells(source, type, gathered);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Gather_ReadsASlicedSource_FromItsOffset(string kind)
    {
        // Arrow slices share buffers and carry an offset; row numbers are relative to the slice.
        var (whole, type) = Column(kind, length: 27, offset: 0);
        var source = ArrowArrayFactory.Slice(whole, 7, 20);

        var gathered = Gather(source, type);

        AssertCells(source, type, gathered);
    }

    [Fact]
    public void Gather_LeavesNoValidityBitmap_WhenTheChosenRowsHaveNoNulls()
    {
        var (source, type) = Column("long", length: 20, offset: 0);
        int[] valid = [1, 2, 4];

        var gathered = ColumnGather.TryGather(source, IcebergTypes.ArrowTypeOf(type), valid, ColumnGather.Runs(valid))!;

        Assert.Equal(0, gathered.NullCount);
        Assert.Equal([1L, 2L, 4L], ((Int64Array)gathered).Values.ToArray());
    }

    [Fact]
    public void Runs_AreMaximalStretchesOfConsecutiveRows()
    {
        Assert.Equal([(0, 3), (5, 1), (7, 4), (3, 2), (19, 1)], ColumnGather.Runs(Rows));
        Assert.Empty(ColumnGather.Runs([]));
    }

    private static IArrowArray Gather(IArrowArray source, TableType type)
    {
        var gathered = ColumnGather.TryGather(source, IcebergTypes.ArrowTypeOf(type), Rows, ColumnGather.Runs(Rows));
        Assert.NotNull(gathered);
        Assert.Equal(Rows.Length, gathered.Length);
        return gathered;
    }

    private static void AssertCells(IArrowArray source, TableType type, IArrowArray gathered)
    {
        Assert.Equal(Rows.Count(source.IsNull), gathered.NullCount);
        for (var i = 0; i < Rows.Length; i++)
        {
            var expected = IcebergValues.Read(source, Rows[i], type);
            var actual = IcebergValues.Read(gathered, i, type);
            Assert.True(IcebergValues.Equals(expected, actual), $"row {i} (source row {Rows[i]}): expected {expected}, got {actual}");
        }
    }

    /// <summary>A column whose every third row is null and whose values differ per row (strings of varying length).</summary>
    private static (IArrowArray Array, TableType Type) Column(string kind, int length, int offset)
    {
        bool Null(int i) => i % 3 == 2;
        var rows = Enumerable.Range(offset, length).ToList();
        switch (kind)
        {
            case "int":
                return (Build(new Int32Array.Builder(), rows, Null, (b, i) => b.Append(i * 7)), TableType.Int);
            case "date":
                return (Build(new Date32Array.Builder(), rows, Null, (b, i) => b.Append(new DateTime(2025, 6, 1).AddDays(i))), TableType.Date);
            case "long":
                return (Build(new Int64Array.Builder(), rows, i => kind == "long" && Null(i) && i > 5, (b, i) => b.Append(i)), TableType.Long);
            case "double":
                return (Build(new DoubleArray.Builder(), rows, Null, (b, i) => b.Append(i + 0.25)), TableType.Double);
            case "timestamp":
                var micros = new TimestampType(TimeUnit.Microsecond, "UTC");
                return (Build(new TimestampArray.Builder(micros), rows, Null,
                    (b, i) => b.Append(new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(i * 61))), TableType.TimestampTz);
            case "bool":
                return (Build(new BooleanArray.Builder(), rows, Null, (b, i) => b.Append(i % 4 == 0)), TableType.Boolean);
            case "string":
                return (Build(new StringArray.Builder(), rows, Null, (b, i) => b.Append(new string('x', i % 5) + i)), TableType.String);
            case "binary":
                return (Build(new BinaryArray.Builder(), rows, Null, (b, i) => b.Append(Enumerable.Range(0, i % 4).Select(x => (byte)(x + i)).ToArray())),
                    TableType.Binary);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    private static IArrowArray Build<TBuilder>(TBuilder builder, List<int> rows, Func<int, bool> isNull, Action<TBuilder, int> append)
        where TBuilder : IArrowArrayBuilder<IArrowArray, TBuilder>
    {
        foreach (var i in rows)
        {
            if (isNull(i)) builder.AppendNull();
            else append(builder, i);
        }
        return builder.Build(default);
    }
}
