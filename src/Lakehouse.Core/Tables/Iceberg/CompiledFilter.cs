using System.Text;
using Apache.Arrow;

namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>What a file's partition values and column metrics prove about a filter.</summary>
internal enum FileMatch { None, Some, All }

/// <summary>A <see cref="RowFilter"/> bound to a schema: literals converted to the columns' internal form.</summary>
internal sealed class CompiledFilter
{
    private readonly (TableField Field, object Value)[] _terms;

    public CompiledFilter(RowFilter filter, IReadOnlyList<TableField> fields, TableIdentifier table)
    {
        _terms = filter.ColumnEquals.Select(t =>
        {
            var field = fields.FirstOrDefault(f => f.Name == t.Key)
                        ?? throw new ArgumentException($"Table {table} has no column '{t.Key}' to filter on.");
            if (t.Value is null) throw new ArgumentException($"The filter on column '{t.Key}' has a null value; filters match non-null values.");
            return (field, IcebergValues.FromLiteral(t.Value, field));
        }).ToArray();
    }

    public bool IsAll => _terms.Length == 0;

    public IReadOnlyList<TableField> Fields => _terms.Select(t => t.Field).ToList();

    /// <summary>
    /// Whether a row of one batch matches every term; <paramref name="columnOf"/> gives a field id's column in the batch (null:
    /// the batch has no such column, so its values are null and match nothing). Cells are compared in their Arrow form, without
    /// boxing, because writers and scans ask this of every row.
    /// </summary>
    public Func<int, bool> Bind(Func<int, IArrowArray?> columnOf)
    {
        var tests = _terms.Select(t => CellEquals(columnOf(t.Field.Id), t.Field.Type, t.Value)).ToArray();
        return tests.Length switch
        {
            0 => _ => true,
            1 => tests[0],
            _ => row =>
            {
                foreach (var test in tests)
                    if (!test(row)) return false;
                return true;
            },
        };
    }

    private static Func<int, bool> CellEquals(IArrowArray? column, TableType type, object value)
    {
        switch (column)
        {
            case null:
                return _ => false;
            case StringArray s when type == TableType.String:
                var utf8 = Encoding.UTF8.GetBytes((string)value);
                return row => s.IsValid(row) && s.GetBytes(row).SequenceEqual(utf8);
            case Date32Array d when type == TableType.Date:
                var day = (int)value;
                return row => d.IsValid(row) && d.Values[row] == day;
            case Int32Array i when type == TableType.Int:
                var number = (int)value;
                return row => i.IsValid(row) && i.Values[row] == number;
            case Int64Array l when type == TableType.Long:
                var longNumber = (long)value;
                return row => l.IsValid(row) && l.Values[row] == longNumber;
            default:
                return row => IcebergValues.Equals(IcebergValues.Read(column, row, type), value);
        }
    }

    /// <summary>Decides from partition values and column bounds whether none, some or all of a file's rows match.</summary>
    public FileMatch Evaluate(DataFileInfo file, PartitionSpec spec)
    {
        var allProven = true;
        foreach (var (field, value) in _terms)
        {
            var proven = false;
            for (var p = 0; p < spec.Fields.Count; p++)
            {
                var pf = spec.Fields[p];
                if (pf.SourceId != field.Id) continue;
                var partitionValue = file.Partition[p];
                if (pf.Transform == PartitionTransform.Identity)
                {
                    if (!IcebergValues.Equals(partitionValue, value)) return FileMatch.None;
                    proven = true;
                }
                else
                {
                    var day = field.Type == TableType.TimestampTz ? IcebergValues.DayOfMicros((long)value) : (int)value;
                    if (!IcebergValues.Equals(partitionValue, day)) return FileMatch.None;
                }
            }
            // Every file we write counts every column; a file without the column predates it, so its values are all null.
            if (file.RecordCount > 0 && file.ValueCounts.Count > 0 && !file.ValueCounts.ContainsKey(field.Id)) return FileMatch.None;
            var hasNullCount = file.NullValueCounts.TryGetValue(field.Id, out var nulls);
            if (hasNullCount && file.ValueCounts.TryGetValue(field.Id, out var values) && nulls == values && values > 0) return FileMatch.None;
            if (file.LowerBounds.TryGetValue(field.Id, out var lowerBytes) && file.UpperBounds.TryGetValue(field.Id, out var upperBytes))
            {
                var lower = IcebergValues.Decode(field.Type, lowerBytes);
                var upper = IcebergValues.Decode(field.Type, upperBytes);
                if (IcebergValues.Compare(value, lower) < 0 || IcebergValues.Compare(value, upper) > 0) return FileMatch.None;
                if (hasNullCount && nulls == 0 && IcebergValues.Equals(lower, value) && IcebergValues.Equals(upper, value)) proven = true;
            }
            allProven &= proven;
        }
        return allProven ? FileMatch.All : FileMatch.Some;
    }
}
