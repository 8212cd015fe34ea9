namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>Writes the few Thrift compact-protocol forms <see cref="ParquetFooter"/> emits: field and list headers, binaries, raw bytes.</summary>
internal sealed class ThriftCompactWriter
{
    private readonly MemoryStream _bytes = new();

    public void WriteFieldHeader(ref short lastField, short id, byte type)
    {
        var delta = id - lastField;
        if (delta is > 0 and <= 15) _bytes.WriteByte((byte)((delta << 4) | type));
        else
        {
            _bytes.WriteByte(type);
            WriteVarint((ulong)((id << 1) ^ (id >> 15)));
        }
        lastField = id;
    }

    public void WriteListHeader(int count, byte elementType)
    {
        if (count < 15) _bytes.WriteByte((byte)((count << 4) | elementType));
        else
        {
            _bytes.WriteByte((byte)(0xF0 | elementType));
            WriteVarint((ulong)count);
        }
    }

    public void WriteBinary(ReadOnlySpan<byte> value)
    {
        WriteVarint((ulong)value.Length);
        _bytes.Write(value);
    }

    public void WriteRaw(ReadOnlySpan<byte> bytes) => _bytes.Write(bytes);

    public byte[] ToArray() => _bytes.ToArray();

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _bytes.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        _bytes.WriteByte((byte)value);
    }
}
