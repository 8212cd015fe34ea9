using Apache.Arrow;

namespace TmLakehouse.Assets.Gold;

/// <summary>
/// Builds record batches of a table's Arrow schema row by row, setting columns by name; a column left unset is null,
/// and a required column left null fails the row with its name.
/// </summary>
internal sealed class GoldBatchBuilder
{
    private readonly Schema _schema;
    private readonly string _table;
    private readonly Dictionary<string, int> _index;
    private readonly bool[] _set;
    private GoldColumnBuffer[] _columns;

    public GoldBatchBuilder(Schema schema, string table)
    {
        _schema = schema;
        _table = table;
        _index = schema.FieldsList.Select((f, i) => (f.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        _set = new bool[schema.FieldsList.Count];
        _columns = NewColumns();
    }

    /// <summary>Rows completed since the last <see cref="Build"/>.</summary>
    public int Count { get; private set; }

    public void Set(string column, string? value)
    {
        if (value is null) SetNull(column);
        else Mark(column).Append(value);
    }

    public void Set(string column, long? value)
    {
        if (value is null) SetNull(column);
        else Mark(column).Append(value.Value);
    }

    public void Set(string column, double? value)
    {
        if (value is null) SetNull(column);
        else Mark(column).Append(value.Value);
    }

    public void Set(string column, bool? value)
    {
        if (value is null) SetNull(column);
        else Mark(column).Append(value.Value);
    }

    public void SetTimestampMicros(string column, long? micros)
    {
        if (micros is null) SetNull(column);
        else Mark(column).AppendTimestampMicros(micros.Value);
    }

    /// <summary>Completes the row: unset columns become null.</summary>
    public void EndRow()
    {
        for (var i = 0; i < _set.Length; i++)
        {
            if (!_set[i])
            {
                if (!_schema.FieldsList[i].IsNullable)
                    throw new InvalidOperationException($"{_table}: required column {_schema.FieldsList[i].Name} has no value in row {Count + 1} of the batch.");
                _columns[i].AppendNull();
            }
            _set[i] = false;
        }
        Count++;
    }

    /// <summary>The completed rows as one batch; the builder starts empty again.</summary>
    public RecordBatch Build()
    {
        var batch = new RecordBatch(_schema, _columns.Select(c => c.Build()).ToList(), Count);
        _columns = NewColumns();
        Count = 0;
        return batch;
    }

    private void SetNull(string column)
    {
        var i = IndexOf(column);
        if (!_schema.FieldsList[i].IsNullable)
            throw new InvalidOperationException($"{_table}: required column {column} would be null in row {Count + 1} of the batch.");
        Mark(column).AppendNull();
    }

    private GoldColumnBuffer Mark(string column)
    {
        var i = IndexOf(column);
        if (_set[i]) throw new InvalidOperationException($"{_table}: column {column} was set twice in one row.");
        _set[i] = true;
        return _columns[i];
    }

    private int IndexOf(string column) =>
        _index.TryGetValue(column, out var i) ? i : throw new InvalidOperationException($"{_table} has no column {column}.");

    private GoldColumnBuffer[] NewColumns() => _schema.FieldsList.Select(GoldColumnBuffer.For).ToArray();
}
