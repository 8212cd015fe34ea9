using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>
/// Copies chosen rows of an Arrow column into a new column of the same Arrow type, copying runs of consecutive rows in bulk.
/// A batch usually splits into a few partitions of long runs (one round's fixes share an event date), so this is the writer's
/// hot path: per-cell copies through boxed values cost more than encoding the Parquet file.
/// </summary>
internal static class ColumnGather
{
    /// <summary>
    /// The rows of <paramref name="source"/> as a column of <paramref name="type"/>: copied in bulk when
    /// <paramref name="sameLayout"/> says the source is already laid out as <paramref name="type"/> and its Arrow type has a
    /// bulk path, otherwise cell by cell through <see cref="ColumnBuilder"/>.
    /// </summary>
    public static IArrowArray Take(IArrowArray source, IArrowType type, TableType tableType, List<int> rows,
        IReadOnlyList<(int Start, int Length)> runs, bool sameLayout) =>
        (sameLayout ? TryGather(source, type, CollectionsMarshal.AsSpan(rows), runs) : null) ?? ColumnBuilder.Copy(source, rows, tableType);

    /// <summary>
    /// The rows of <paramref name="source"/> as a column of <paramref name="type"/>, which must have the same physical layout
    /// (<paramref name="runs"/> are <see cref="Runs"/> of the same rows); null when the source has no bulk path and the caller
    /// must copy cell by cell.
    /// </summary>
    public static IArrowArray? TryGather(IArrowArray source, IArrowType type, ReadOnlySpan<int> rows, IReadOnlyList<(int Start, int Length)> runs) =>
        source switch
        {
            Int32Array a => Fixed(a, type, a.Values, rows, runs),
            Date32Array a => Fixed(a, type, a.Values, rows, runs),
            Int64Array a => Fixed(a, type, a.Values, rows, runs),
            DoubleArray a => Fixed(a, type, a.Values, rows, runs),
            TimestampArray a => Fixed(a, type, a.Values, rows, runs),
            BooleanArray a => Boolean(a, rows),
            BinaryArray a => Bytes(a, type, rows, runs), // StringArray too: it is a BinaryArray with a string type
            _ => null,
        };

    private static IArrowArray Fixed<T>(IArrowArray source, IArrowType type, ReadOnlySpan<T> values, ReadOnlySpan<int> rows,
        IReadOnlyList<(int Start, int Length)> runs) where T : unmanaged
    {
        var gathered = new byte[rows.Length * Unsafe.SizeOf<T>()];
        var target = MemoryMarshal.Cast<byte, T>(gathered.AsSpan());
        var at = 0;
        foreach (var (start, length) in runs)
        {
            values.Slice(start, length).CopyTo(target[at..]);
            at += length;
        }
        var (validity, nulls) = Validity(source, rows);
        var data = new ArrayData(type, rows.Length, nulls, 0, [validity, new ArrowBuffer(gathered)]);
        return ArrowArrayFactory.BuildArray(data);
    }

    private static IArrowArray Boolean(BooleanArray source, ReadOnlySpan<int> rows)
    {
        var bits = new byte[(rows.Length + 7) / 8];
        var values = source.ValueBuffer.Span;
        for (var i = 0; i < rows.Length; i++)
            if (BitUtility.GetBit(values, source.Offset + rows[i])) BitUtility.SetBit(bits, i);
        var (validity, nulls) = Validity(source, rows);
        return new BooleanArray(new ArrowBuffer(bits), validity, rows.Length, nulls, 0);
    }

    private static IArrowArray Bytes(BinaryArray source, IArrowType type, ReadOnlySpan<int> rows, IReadOnlyList<(int Start, int Length)> runs)
    {
        var offsets = source.ValueOffsets;
        var size = 0;
        foreach (var row in rows) size += offsets[row + 1] - offsets[row];
        var data = new byte[size];
        var offsetBytes = new byte[(rows.Length + 1) * sizeof(int)];
        var newOffsets = MemoryMarshal.Cast<byte, int>(offsetBytes.AsSpan());
        var bytes = source.ValueBuffer.Span;
        int at = 0, position = 0;
        foreach (var (start, length) in runs)
        {
            var from = offsets[start];
            var runBytes = offsets[start + length] - from;
            bytes.Slice(from, runBytes).CopyTo(data.AsSpan(position));
            for (var i = 0; i < length; i++) newOffsets[at + i + 1] = position + offsets[start + i + 1] - from;
            position += runBytes;
            at += length;
        }
        var (validity, nulls) = Validity(source, rows);
        var arrayData = new ArrayData(type, rows.Length, nulls, 0,
            [validity, new ArrowBuffer(offsetBytes), new ArrowBuffer(data)]);
        return ArrowArrayFactory.BuildArray(arrayData);
    }

    private static (ArrowBuffer Validity, int Nulls) Validity(IArrowArray source, ReadOnlySpan<int> rows)
    {
        if (source.NullCount == 0) return (ArrowBuffer.Empty, 0);
        var bits = new byte[(rows.Length + 7) / 8];
        var nulls = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            if (source.IsValid(rows[i])) BitUtility.SetBit(bits, i);
            else nulls++;
        }
        return nulls == 0 ? (ArrowBuffer.Empty, 0) : (new ArrowBuffer(bits), nulls);
    }

    /// <summary>Maximal runs of consecutive row numbers, as (first row, length).</summary>
    public static List<(int Start, int Length)> Runs(ReadOnlySpan<int> rows)
    {
        var runs = new List<(int, int)>();
        var i = 0;
        while (i < rows.Length)
        {
            var start = rows[i];
            var length = 1;
            while (i + length < rows.Length && rows[i + length] == start + length) length++;
            runs.Add((start, length));
            i += length;
        }
        return runs;
    }
}
