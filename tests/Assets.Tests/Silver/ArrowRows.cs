using Apache.Arrow;

namespace Assets.Tests.Silver;

/// <summary>Reads Arrow batches back as rows of CLR values (what a user would see in a query), for assertions.</summary>
internal static class ArrowRows
{
    public static IEnumerable<Dictionary<string, object?>> Of(RecordBatch batch)
    {
        for (var i = 0; i < batch.Length; i++)
        {
            var row = new Dictionary<string, object?>();
            for (var c = 0; c < batch.ColumnCount; c++) row[batch.Schema.GetFieldByIndex(c).Name] = Value(batch.Column(c), i);
            yield return row;
        }
    }

    public static object? Value(IArrowArray array, int i) => array.IsNull(i) ? null : array switch
    {
        StringArray s => s.GetString(i),
        Int32Array a => a.GetValue(i),
        Int64Array a => a.GetValue(i),
        DoubleArray a => a.GetValue(i),
        BooleanArray a => a.GetValue(i),
        Date32Array a => a.GetDateOnly(i),
        TimestampArray a => a.GetTimestamp(i),
        BinaryArray a => Convert.ToHexString(a.GetBytes(i)),
        _ => throw new NotSupportedException(array.GetType().Name),
    };
}
