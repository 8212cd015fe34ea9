using Apache.Arrow;

namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>Whether two cells of one Arrow column hold the same value, compared in place (no boxing, no string decoding).</summary>
internal static class CellEquality
{
    /// <summary>True when both cells are null or hold equal values; false, never wrong, for a type without a fast path.</summary>
    public static bool Same(IArrowArray column, int row, int other)
    {
        var valid = column.IsValid(row);
        if (valid != column.IsValid(other)) return false;
        if (!valid) return true;
        return column switch
        {
            Int32Array a => a.Values[row] == a.Values[other],
            Date32Array a => a.Values[row] == a.Values[other],
            Int64Array a => a.Values[row] == a.Values[other],
            TimestampArray a => a.Values[row] == a.Values[other],
            DoubleArray a => a.Values[row].Equals(a.Values[other]),
            BooleanArray a => a.GetValue(row) == a.GetValue(other),
            BinaryArray a => a.GetBytes(row).SequenceEqual(a.GetBytes(other)),
            _ => false,
        };
    }
}
