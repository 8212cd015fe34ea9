using System.Runtime.InteropServices;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace TmLakehouse.Assets.Silver;

/// <summary>
/// A fixed-capacity column of one Arrow batch: values plus a validity bitmap, handed to Arrow without copying.
/// Hand-rolled because Arrow's per-value builders cost several times the CSV parse.
/// </summary>
internal sealed class ValueColumn<T>(int capacity) where T : unmanaged
{
    private T[] _values = new T[capacity];
    private byte[] _validity = new byte[(capacity + 7) / 8];
    private int _count;

    public int NullCount { get; private set; }

    public void Append(T value)
    {
        _values[_count] = value;
        _validity[_count >> 3] |= (byte)(1 << (_count & 7));
        _count++;
    }

    public void AppendNull()
    {
        _count++;
        NullCount++;
    }

    /// <summary>The values buffer and validity bitmap, then a fresh column for the next batch.</summary>
    public (ArrowBuffer Values, ArrowBuffer Validity, int Length, int Nulls) Take()
    {
        var result = (new ArrowBuffer(MemoryMarshal.AsBytes(_values.AsSpan(0, _count)).ToArray()),
            NullCount == 0 ? ArrowBuffer.Empty : new ArrowBuffer(_validity.AsMemory(0, (_count + 7) / 8)), _count, NullCount);
        _validity = new byte[_validity.Length];
        _count = 0;
        NullCount = 0;
        return result;
    }
}

/// <summary>A boolean column: values and validity as bitmaps.</summary>
internal sealed class BoolColumn(int capacity)
{
    private byte[] _values = new byte[(capacity + 7) / 8];
    private byte[] _validity = new byte[(capacity + 7) / 8];
    private int _count;
    private int _nulls;

    public void Append(bool value)
    {
        if (value) _values[_count >> 3] |= (byte)(1 << (_count & 7));
        _validity[_count >> 3] |= (byte)(1 << (_count & 7));
        _count++;
    }

    public void Append(bool? value)
    {
        if (value is { } v) Append(v);
        else { _count++; _nulls++; }
    }

    public int NullCount => _nulls;

    public BooleanArray Build()
    {
        var bytes = (_count + 7) / 8;
        var array = new BooleanArray(new ArrowBuffer(_values.AsMemory(0, bytes)), _nulls == 0 ? ArrowBuffer.Empty : new ArrowBuffer(_validity.AsMemory(0, bytes)), _count, _nulls, 0);
        _values = new byte[_values.Length];
        _validity = new byte[_validity.Length];
        _count = _nulls = 0;
        return array;
    }
}

/// <summary>A UTF-8 string or binary column; repeated round-level strings are encoded once per round, not once per row.</summary>
internal sealed class BytesColumn(int capacity)
{
    private int[] _offsets = new int[capacity + 1];
    private byte[] _data = new byte[capacity * 8];
    private byte[] _validity = new byte[(capacity + 7) / 8];
    private int _count;
    private int _nulls;
    private string? _lastString;
    private byte[] _lastBytes = [];

    public void Append(string? value)
    {
        if (value is null) { AppendNull(); return; }
        if (!ReferenceEquals(value, _lastString))
        {
            _lastString = value;
            _lastBytes = Encoding.UTF8.GetBytes(value);
        }
        Append(_lastBytes);
    }

    public void Append(ReadOnlySpan<byte> value)
    {
        var end = _offsets[_count] + value.Length;
        if (end > _data.Length) System.Array.Resize(ref _data, Math.Max(end, _data.Length * 2));
        value.CopyTo(_data.AsSpan(_offsets[_count]));
        _validity[_count >> 3] |= (byte)(1 << (_count & 7));
        _offsets[++_count] = end;
    }

    public void AppendNull()
    {
        _offsets[_count + 1] = _offsets[_count];
        _count++;
        _nulls++;
    }

    public StringArray BuildString()
    {
        var (offsets, data, validity, length, nulls) = Take();
        return new StringArray(length, offsets, data, validity, nulls, 0);
    }

    public BinaryArray BuildBinary()
    {
        var (offsets, data, validity, length, nulls) = Take();
        return new BinaryArray(BinaryType.Default, length, offsets, data, validity, nulls, 0);
    }

    private (ArrowBuffer, ArrowBuffer, ArrowBuffer, int, int) Take()
    {
        var result = (new ArrowBuffer(MemoryMarshal.AsBytes(_offsets.AsSpan(0, _count + 1)).ToArray()),
            new ArrowBuffer(_data.AsSpan(0, _offsets[_count]).ToArray()),
            _nulls == 0 ? ArrowBuffer.Empty : new ArrowBuffer(_validity.AsMemory(0, (_count + 7) / 8)), _count, _nulls);
        _validity = new byte[_validity.Length];
        _count = _nulls = 0;
        _offsets[0] = 0;
        return result;
    }
}
