using Apache.Arrow;
using Apache.Arrow.Types;

namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>Builds one Arrow column of a table type from values in Iceberg's internal form.</summary>
internal abstract class ColumnBuilder
{
    public static ColumnBuilder For(TableType type) => type switch
    {
        TableType.Boolean => new BooleanColumn(),
        TableType.Int => new FixedColumn<int>(Int32Type.Default),
        TableType.Long => new FixedColumn<long>(Int64Type.Default),
        TableType.Double => new FixedColumn<double>(DoubleType.Default),
        TableType.Date => new FixedColumn<int>(Date32Type.Default),
        TableType.TimestampTz => new FixedColumn<long>(IcebergTypes.ArrowTypeOf(TableType.TimestampTz)),
        TableType.String => new StringColumn(),
        TableType.Binary => new BinaryColumn(),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public abstract void Append(object? value);
    public abstract IArrowArray Build();

    /// <summary>Appends one cell of a source column; subclasses copy same-typed cells without boxing.</summary>
    public virtual void AppendFrom(IArrowArray source, int row, TableType type) => Append(IcebergValues.Read(source, row, type));

    /// <summary>The given rows of a source column, converted cell by cell to the table type's Arrow form.</summary>
    public static IArrowArray Copy(IArrowArray source, IReadOnlyList<int> rows, TableType type)
    {
        var builder = For(type);
        foreach (var row in rows) builder.AppendFrom(source, row, type);
        return builder.Build();
    }

    /// <summary>An all-null column (a column added after a file was written).</summary>
    public static IArrowArray Nulls(TableType type, int length)
    {
        var builder = For(type);
        for (var i = 0; i < length; i++) builder.Append(null);
        return builder.Build();
    }

    private sealed class FixedColumn<T>(IArrowType type) : ColumnBuilder where T : struct, IEquatable<T>
    {
        private readonly ArrowBuffer.Builder<T> _values = new();
        private readonly ArrowBuffer.BitmapBuilder _validity = new();
        private int _nulls;

        public override void Append(object? value)
        {
            if (value is null)
            {
                _values.Append(default(T));
                _validity.Append(false);
                _nulls++;
            }
            else
            {
                _values.Append((T)value);
                _validity.Append(true);
            }
        }

        public override void AppendFrom(IArrowArray source, int row, TableType tableType)
        {
            if (source is PrimitiveArray<T> typed && (source is not TimestampArray || IsMicros(source)))
            {
                if (source.IsNull(row)) Append(null);
                else
                {
                    _values.Append(typed.Values[row]);
                    _validity.Append(true);
                }
                return;
            }
            base.AppendFrom(source, row, tableType);
        }

        private static bool IsMicros(IArrowArray array) => ((TimestampType)array.Data.DataType).Unit == TimeUnit.Microsecond;

        public override IArrowArray Build()
        {
            var length = _validity.Length;
            var data = new ArrayData(type, length, _nulls, 0,
                [_nulls == 0 ? ArrowBuffer.Empty : _validity.Build(ManagedArrowMemory.Instance), _values.Build(ManagedArrowMemory.Instance)]);
            return ArrowArrayFactory.BuildArray(data);
        }
    }

    private sealed class BooleanColumn : ColumnBuilder
    {
        private readonly BooleanArray.Builder _builder = new();
        public override void Append(object? value) { if (value is null) _builder.AppendNull(); else _builder.Append((bool)value); }
        public override IArrowArray Build() => _builder.Build();
    }

    private sealed class StringColumn : ColumnBuilder
    {
        private readonly StringArray.Builder _builder = new();
        public override void Append(object? value) { if (value is null) _builder.AppendNull(); else _builder.Append((string)value); }

        public override void AppendFrom(IArrowArray source, int row, TableType type)
        {
            if (source is StringArray s)
            {
                if (s.IsNull(row)) _builder.AppendNull(); else _builder.Append(s.GetBytes(row));
                return;
            }
            base.AppendFrom(source, row, type);
        }
        public override IArrowArray Build() => _builder.Build();
    }

    private sealed class BinaryColumn : ColumnBuilder
    {
        private readonly BinaryArray.Builder _builder = new();
        public override void Append(object? value) { if (value is null) _builder.AppendNull(); else _builder.Append((byte[])value); }

        public override void AppendFrom(IArrowArray source, int row, TableType type)
        {
            if (source is BinaryArray b and not StringArray)
            {
                if (b.IsNull(row)) _builder.AppendNull(); else _builder.Append(b.GetBytes(row));
                return;
            }
            base.AppendFrom(source, row, type);
        }
        public override IArrowArray Build() => _builder.Build();
    }
}
