using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>
/// Values in Iceberg's internal form (bool, int, long, double, string, date as int days, timestamptz as long micros, byte[]):
/// read from Arrow, converted from filter literals, compared, and encoded as the spec's single-value binary form.
/// </summary>
internal static class IcebergValues
{
    private const long MicrosPerDay = 86_400_000_000L;
    private static readonly int EpochDayNumber = new DateOnly(1970, 1, 1).DayNumber;

    /// <summary>The value of one cell, converted to the internal form of the column type; null for a null cell.</summary>
    public static object? Read(IArrowArray array, int row, TableType type)
    {
        if (array.IsNull(row)) return null;
        return (type, array) switch
        {
            (TableType.Boolean, BooleanArray a) => a.GetValue(row)!.Value,
            (TableType.Int, Int32Array a) => a.Values[row],
            (TableType.Int, Int16Array a) => (int)a.Values[row],
            (TableType.Int, Int8Array a) => (int)a.Values[row],
            (TableType.Long, Int64Array a) => a.Values[row],
            (TableType.Long, Int32Array a) => (long)a.Values[row],
            (TableType.Double, DoubleArray a) => a.Values[row],
            (TableType.Double, FloatArray a) => (double)a.Values[row],
            (TableType.String, StringArray a) => a.GetString(row),
            (TableType.Binary, StringArray a) => a.GetBytes(row).ToArray(),
            (TableType.Binary, BinaryArray a) => a.GetBytes(row).ToArray(),
            (TableType.Date, Date32Array a) => a.Values[row],
            (TableType.Date, Date64Array a) => (int)Math.Floor(a.Values[row] / 86_400_000d),
            (TableType.TimestampTz, TimestampArray a) => ToMicros(a.Values[row], ((TimestampType)a.Data.DataType).Unit),
            _ => throw new InvalidDataException($"An Arrow {array.Data.DataType.Name} column cannot hold {type} values."),
        };
    }

    private static long ToMicros(long value, TimeUnit unit) => unit switch
    {
        TimeUnit.Second => value * 1_000_000,
        TimeUnit.Millisecond => value * 1_000,
        TimeUnit.Microsecond => value,
        TimeUnit.Nanosecond => Math.DivRem(value, 1000L) is var (q, r) && r < 0 ? q - 1 : value / 1000,
        _ => throw new InvalidDataException($"Unknown time unit {unit}."),
    };

    /// <summary>Converts a filter literal (string, long, int, double, bool, DateOnly, DateTimeOffset, DateTime) to the internal form.</summary>
    public static object FromLiteral(object literal, TableField field)
    {
        try
        {
            return (field.Type, literal) switch
            {
                (TableType.Boolean, bool b) => b,
                (TableType.Int, int i) => i,
                (TableType.Int, long l) => checked((int)l),
                (TableType.Long, long l) => l,
                (TableType.Long, int i) => (long)i,
                (TableType.Double, double d) => d,
                (TableType.Double, float f) => (double)f,
                (TableType.Double, int i) => (double)i,
                (TableType.Double, long l) => (double)l,
                (TableType.String, string s) => s,
                (TableType.Binary, byte[] b) => b,
                (TableType.Date, DateOnly d) => DaysOf(d),
                (TableType.Date, DateTime d) => DaysOf(DateOnly.FromDateTime(d)),
                (TableType.Date, string s) => DaysOf(DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture)),
                (TableType.TimestampTz, DateTimeOffset t) => MicrosOf(t),
                (TableType.TimestampTz, DateTime t) => MicrosOf(new DateTimeOffset(t.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : t.ToUniversalTime())),
                _ => throw new ArgumentException($"A filter on column '{field.Name}' ({field.Type}) cannot compare with a {literal.GetType().Name} value '{literal}'."),
            };
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new ArgumentException($"A filter on column '{field.Name}' ({field.Type}) cannot use the value '{literal}': {e.Message}", e);
        }
    }

    public static int DaysOf(DateOnly date) => date.DayNumber - EpochDayNumber;
    public static DateOnly DateOf(int days) => DateOnly.FromDayNumber(days + EpochDayNumber);
    public static long MicrosOf(DateTimeOffset t) => (t.UtcTicks - DateTime.UnixEpoch.Ticks) / 10;
    public static DateTimeOffset TimestampOf(long micros) => new(DateTime.UnixEpoch.Ticks + micros * 10, TimeSpan.Zero);
    public static int DayOfMicros(long micros) => (int)Math.Floor(micros / (double)MicrosPerDay);

    public static new bool Equals(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (null, _) or (_, null) => false,
        (byte[] x, byte[] y) => x.AsSpan().SequenceEqual(y),
        _ => a.Equals(b),
    };

    /// <summary>Orders two non-null values of one type as Iceberg does (strings by their UTF-8 bytes).</summary>
    public static int Compare(object a, object b) => (a, b) switch
    {
        (string x, string y) => Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y)),
        (byte[] x, byte[] y) => x.AsSpan().SequenceCompareTo(y),
        (IComparable x, _) => x.CompareTo(b),
        _ => throw new InvalidOperationException($"Cannot compare {a.GetType().Name} values."),
    };

    /// <summary>The spec's single-value serialization (Appendix D): little-endian numbers, UTF-8 strings.</summary>
    public static byte[] Encode(TableType type, object value)
    {
        switch (type)
        {
            case TableType.Boolean: return [(bool)value ? (byte)1 : (byte)0];
            case TableType.Int or TableType.Date:
            {
                var bytes = new byte[4];
                BinaryPrimitives.WriteInt32LittleEndian(bytes, (int)value);
                return bytes;
            }
            case TableType.Long or TableType.TimestampTz:
            {
                var bytes = new byte[8];
                BinaryPrimitives.WriteInt64LittleEndian(bytes, (long)value);
                return bytes;
            }
            case TableType.Double:
            {
                var bytes = new byte[8];
                BinaryPrimitives.WriteDoubleLittleEndian(bytes, (double)value);
                return bytes;
            }
            case TableType.String: return Encoding.UTF8.GetBytes((string)value);
            case TableType.Binary: return (byte[])value;
            default: throw new ArgumentOutOfRangeException(nameof(type), type, null);
        }
    }

    public static object Decode(TableType type, byte[] bytes) => type switch
    {
        TableType.Boolean => bytes[0] != 0,
        TableType.Int or TableType.Date => BinaryPrimitives.ReadInt32LittleEndian(bytes),
        TableType.Long or TableType.TimestampTz => BinaryPrimitives.ReadInt64LittleEndian(bytes),
        TableType.Double => BinaryPrimitives.ReadDoubleLittleEndian(bytes),
        TableType.String => Encoding.UTF8.GetString(bytes),
        TableType.Binary => bytes,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>A value as text, for partition paths and <see cref="TableDataFile.PartitionValues"/>.</summary>
    public static string ToText(TableType type, object? value) => value switch
    {
        null => "null",
        _ when type == TableType.Date => DateOf((int)value).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ when type == TableType.TimestampTz => TimestampOf((long)value).ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
        byte[] b => Convert.ToHexString(b),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
