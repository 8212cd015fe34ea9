namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>
/// Walks Thrift compact-protocol bytes (the encoding of Parquet's footer) field by field, skipping values it does not need,
/// so a footer can be re-emitted with one field changed without a model of every Parquet struct.
/// </summary>
internal ref struct ThriftCompactReader(ReadOnlySpan<byte> data)
{
    public const byte Stop = 0, True = 1, False = 2, Byte = 3, I16 = 4, I32 = 5, I64 = 6, Double = 7, Binary = 8, List = 9, Set = 10, Map = 11, Struct = 12;

    private readonly ReadOnlySpan<byte> _data = data;
    private short _lastField;

    public int Position { get; private set; }

    /// <summary>Reads the next field header of the current struct; false at its stop byte.</summary>
    public bool ReadFieldHeader(out short id, out byte type)
    {
        var header = _data[Position++];
        type = (byte)(header & 0x0F);
        if (type == Stop)
        {
            id = 0;
            return false;
        }
        var delta = header >> 4;
        id = delta == 0 ? (short)ZigZag(ReadVarint()) : (short)(_lastField + delta);
        _lastField = id;
        return true;
    }

    /// <summary>Reads a list or set header: element count, element type, and where the elements start.</summary>
    public (int Count, byte ElementType, int ElementsStart) ReadListHeader()
    {
        var header = _data[Position++];
        var count = header >> 4;
        if (count == 15) count = checked((int)ReadVarint());
        return (count, (byte)(header & 0x0F), Position);
    }

    /// <summary>Skips one value of the given type (nested structs and containers included).</summary>
    public void Skip(byte type)
    {
        switch (type)
        {
            case True or False:
                // A boolean field carries its value in the header; only a boolean list element has a byte of its own.
                break;
            case Byte:
                Position++;
                break;
            case I16 or I32 or I64:
                ReadVarint();
                break;
            case Double:
                Position += 8;
                break;
            case Binary:
            {
                var length = checked((int)ReadVarint()); // read first: `Position += ReadVarint()` would add to the old position
                Position += length;
                break;
            }
            case List or Set:
            {
                var (count, elementType, _) = ReadListHeader();
                for (var i = 0; i < count; i++)
                {
                    if (elementType is True or False) Position++;
                    else Skip(elementType);
                }
                break;
            }
            case Map:
            {
                var count = checked((int)ReadVarint());
                if (count == 0) break;
                var types = _data[Position++];
                for (var i = 0; i < count; i++)
                {
                    SkipElement((byte)(types >> 4));
                    SkipElement((byte)(types & 0x0F));
                }
                break;
            }
            case Struct:
            {
                var outer = _lastField;
                _lastField = 0;
                while (ReadFieldHeader(out _, out var fieldType)) Skip(fieldType);
                _lastField = outer;
                break;
            }
            default:
                throw new InvalidDataException($"Unknown Thrift compact type {type} at byte {Position} of a Parquet footer.");
        }
    }

    private void SkipElement(byte type)
    {
        if (type is True or False) Position++;
        else Skip(type);
    }

    private ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = _data[Position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new InvalidDataException("A Thrift varint in a Parquet footer is longer than 64 bits.");
    }

    private static long ZigZag(ulong n) => (long)(n >> 1) ^ -(long)(n & 1);
}
