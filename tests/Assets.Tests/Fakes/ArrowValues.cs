using Apache.Arrow;
using Apache.Arrow.Types;

namespace TmLakehouse.Assets.Tests.Fakes;

/// <summary>Reads and builds Arrow arrays one CLR value at a time (slow and simple: test data only).</summary>
internal static class ArrowValues
{
    public static object? ValueAt(IArrowArray array, int row)
    {
        if (array.IsNull(row)) return null;
        return array switch
        {
            StringArray a => a.GetString(row),
            Int32Array a => a.GetValue(row),
            Int64Array a => a.GetValue(row),
            DoubleArray a => a.GetValue(row),
            BooleanArray a => a.GetValue(row),
            Date32Array a => a.GetDateOnly(row),
            TimestampArray a => a.GetTimestamp(row),
            BinaryArray a => a.GetBytes(row).ToArray(),
            _ => throw new NotSupportedException($"The test tables do not use Arrow type {array.Data.DataType.Name}."),
        };
    }

    public static bool SameValue(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (null, _) or (_, null) => false,
        (int x, long y) => x == y,
        (long x, int y) => x == y,
        (DateTimeOffset x, DateTimeOffset y) => x.UtcTicks == y.UtcTicks,
        _ => a.Equals(b),
    };

    public static IArrowArray Build(IArrowType type, IEnumerable<object?> values)
    {
        switch (type)
        {
            case StringType:
            {
                var b = new StringArray.Builder();
                foreach (var v in values) { if (v is null) b.AppendNull(); else b.Append((string)v); }
                return b.Build();
            }
            case Int32Type:
            {
                var b = new Int32Array.Builder();
                foreach (var v in values) { if (v is null) b.AppendNull(); else b.Append(Convert.ToInt32(v)); }
                return b.Build();
            }
            case Int64Type:
            {
                var b = new Int64Array.Builder();
                foreach (var v in values) { if (v is null) b.AppendNull(); else b.Append(Convert.ToInt64(v)); }
                return b.Build();
            }
            case DoubleType:
            {
                var b = new DoubleArray.Builder();
                foreach (var v in values) { if (v is null) b.AppendNull(); else b.Append(Convert.ToDouble(v)); }
                return b.Build();
            }
            case BooleanType:
            {
                var b = new BooleanArray.Builder();
                foreach (var v in values) { if (v is null) b.AppendNull(); else b.Append((bool)v); }
                return b.Build();
            }
            case Date32Type:
            {
                var b = new Date32Array.Builder();
                foreach (var v in values) { if (v is null) b.AppendNull(); else b.Append((DateOnly)v); }
                return b.Build();
            }
            case TimestampType t:
            {
                var b = new TimestampArray.Builder(t);
                foreach (var v in values) { if (v is null) b.AppendNull(); else b.Append((DateTimeOffset)v); }
                return b.Build();
            }
            case BinaryType:
            {
                var b = new BinaryArray.Builder();
                foreach (var v in values) { if (v is null) b.AppendNull(); else b.Append(((byte[])v).AsSpan()); }
                return b.Build();
            }
            default:
                throw new NotSupportedException($"The test tables do not use Arrow type {type.Name}.");
        }
    }

    /// <summary>A batch of the schema from rows given as column name → value (missing names are null).</summary>
    public static RecordBatch Batch(Schema schema, IReadOnlyList<IReadOnlyDictionary<string, object?>> rows) =>
        new(schema, schema.FieldsList.Select(f => Build(f.DataType, rows.Select(r => r.GetValueOrDefault(f.Name)))).ToList(), rows.Count);
}
