using Apache.Arrow;
using Apache.Arrow.Types;

namespace TmLakehouse.Assets.Gold;

/// <summary>Collects one output column's values into the Arrow array type the table's schema asks for.</summary>
internal abstract class GoldColumnBuffer(Field field)
{
    public Field Field { get; } = field;

    public abstract void AppendNull();
    public virtual void Append(string value) => throw Mismatch("a string");
    public virtual void Append(long value) => throw Mismatch("an integer");
    public virtual void Append(double value) => throw Mismatch("a double");
    public virtual void Append(bool value) => throw Mismatch("a boolean");
    public virtual void AppendTimestampMicros(long micros) => throw Mismatch("a timestamp");
    public abstract IArrowArray Build();

    public static GoldColumnBuffer For(Field field) => field.DataType switch
    {
        StringType => new Strings(field),
        Int32Type => new Ints(field),
        Int64Type => new Longs(field),
        DoubleType => new Doubles(field),
        BooleanType => new Bools(field),
        TimestampType t => new Timestamps(field, t),
        _ => throw new NotSupportedException($"Gold column {field.Name} has Arrow type {field.DataType.Name}, which Gold tables do not use."),
    };

    private InvalidOperationException Mismatch(string given) =>
        new($"Gold column {Field.Name} is {Field.DataType.Name} but was given {given}.");

    private sealed class Strings(Field field) : GoldColumnBuffer(field)
    {
        private readonly StringArray.Builder _builder = new();
        public override void AppendNull() => _builder.AppendNull();
        public override void Append(string value) => _builder.Append(value);
        public override IArrowArray Build() => _builder.Build();
    }

    private sealed class Ints(Field field) : GoldColumnBuffer(field)
    {
        private readonly Int32Array.Builder _builder = new();
        public override void AppendNull() => _builder.AppendNull();
        public override void Append(long value) => _builder.Append(checked((int)value));
        public override IArrowArray Build() => _builder.Build();
    }

    private sealed class Longs(Field field) : GoldColumnBuffer(field)
    {
        private readonly Int64Array.Builder _builder = new();
        public override void AppendNull() => _builder.AppendNull();
        public override void Append(long value) => _builder.Append(value);
        public override IArrowArray Build() => _builder.Build();
    }

    private sealed class Doubles(Field field) : GoldColumnBuffer(field)
    {
        private readonly DoubleArray.Builder _builder = new();
        public override void AppendNull() => _builder.AppendNull();
        public override void Append(double value) => _builder.Append(value);
        public override IArrowArray Build() => _builder.Build();
    }

    private sealed class Bools(Field field) : GoldColumnBuffer(field)
    {
        private readonly BooleanArray.Builder _builder = new();
        public override void AppendNull() => _builder.AppendNull();
        public override void Append(bool value) => _builder.Append(value);
        public override IArrowArray Build() => _builder.Build();
    }

    private sealed class Timestamps(Field field, TimestampType type) : GoldColumnBuffer(field)
    {
        private readonly TimestampArray.Builder _builder = new(type);
        public override void AppendNull() => _builder.AppendNull();
        public override void AppendTimestampMicros(long micros) => _builder.Append(DateTimeOffset.UnixEpoch.AddTicks(micros * 10));
        public override IArrowArray Build() => _builder.Build();
    }
}
