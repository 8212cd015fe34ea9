using Apache.Arrow;
using Apache.Arrow.Types;

namespace TmLakehouse.Assets.Gold;

/// <summary>Reads one nullable value of a Silver column, accepting the Arrow types a table may hand back for it.</summary>
internal static class ArrowColumnReader
{
    public static string? String(IArrowArray array, int row) => array switch
    {
        _ when array.IsNull(row) => null,
        StringArray a => a.GetString(row),
        _ => throw Unexpected(array, "string"),
    };

    public static int? Int(IArrowArray array, int row) => array switch
    {
        _ when array.IsNull(row) => null,
        Int32Array a => a.GetValue(row),
        Int64Array a => checked((int)a.GetValue(row)!.Value),
        Int16Array a => a.GetValue(row),
        _ => throw Unexpected(array, "int"),
    };

    public static double? Double(IArrowArray array, int row) => array switch
    {
        _ when array.IsNull(row) => null,
        DoubleArray a => a.GetValue(row),
        FloatArray a => a.GetValue(row),
        Int32Array a => a.GetValue(row),
        Int64Array a => a.GetValue(row),
        _ => throw Unexpected(array, "double"),
    };

    public static bool? Bool(IArrowArray array, int row) => array switch
    {
        _ when array.IsNull(row) => null,
        BooleanArray a => a.GetValue(row),
        _ => throw Unexpected(array, "boolean"),
    };

    /// <summary>Microseconds since the Unix epoch, whatever the column's unit.</summary>
    public static long? TimestampMicros(IArrowArray array, int row)
    {
        if (array.IsNull(row)) return null;
        if (array is not TimestampArray a) throw Unexpected(array, "timestamp");
        var raw = a.GetValue(row)!.Value;
        return ((TimestampType)a.Data.DataType).Unit switch
        {
            TimeUnit.Second => raw * 1_000_000,
            TimeUnit.Millisecond => raw * 1_000,
            TimeUnit.Microsecond => raw,
            _ => Math.DivRem(raw, 1_000, out var rest) - (rest < 0 ? 1 : 0),
        };
    }

    private static InvalidDataException Unexpected(IArrowArray array, string wanted) =>
        new($"A Silver column read as {wanted} came back as Arrow {array.Data.DataType.Name}.");
}
