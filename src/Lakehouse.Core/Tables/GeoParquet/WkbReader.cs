using System.Buffers.Binary;

namespace Lakehouse.Core.Tables.GeoParquet;

/// <summary>
/// Reads the type and bounding box of WKB geometries without building them (ISO WKB with Z/M/ZM codes, and PostGIS's EWKB
/// flags, either byte order). Core has no geometry library; this is all the table layer needs for GeoParquet metadata.
/// </summary>
public static class WkbReader
{
    public static WkbShape Read(ReadOnlySpan<byte> wkb)
    {
        var cursor = new Cursor(wkb);
        var (type, hasZ) = cursor.Geometry();
        if (cursor.Position != wkb.Length)
            throw new InvalidDataException($"WKB has {wkb.Length - cursor.Position} bytes after the end of its geometry.");
        return new WkbShape(type, hasZ, cursor.MinX, cursor.MinY, cursor.MaxX, cursor.MaxY);
    }

    private ref struct Cursor(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private bool _little;
        public int Position;
        public double MinX = double.NaN, MinY = double.NaN, MaxX = double.NaN, MaxY = double.NaN;

        public (int Type, bool HasZ) Geometry()
        {
            _little = Byte() switch
            {
                0 => false,
                1 => true,
                var b => throw new InvalidDataException($"WKB byte order {b} at byte {Position - 1} (expected 0 or 1)."),
            };
            var raw = UInt32();
            var hasZ = (raw & 0x80000000) != 0;
            var hasM = (raw & 0x40000000) != 0;
            if ((raw & 0x20000000) != 0) UInt32(); // EWKB SRID
            var code = (int)(raw & 0x0FFFFFFF);
            var dimensions = code / 1000;
            var type = code % 1000;
            if (dimensions is 1 or 3) hasZ = true;
            if (dimensions is 2 or 3) hasM = true;
            if (type is < 1 or > 7 || dimensions > 3)
                throw new InvalidDataException($"WKB geometry type {raw} at byte {Position - 4} is not one of Point..GeometryCollection.");
            var stride = 2 + (hasZ ? 1 : 0) + (hasM ? 1 : 0);
            switch (type)
            {
                case 1:
                    Points(1, stride);
                    break;
                case 2:
                    Points(Count(), stride);
                    break;
                case 3:
                    for (int r = 0, rings = Count(); r < rings; r++) Points(Count(), stride);
                    break;
                default:
                    for (int p = 0, parts = Count(); p < parts; p++)
                    {
                        var little = _little;
                        Geometry();
                        _little = little;
                    }
                    break;
            }
            return (type, hasZ);
        }

        private void Points(int count, int stride)
        {
            Need(count * stride * 8);
            for (var i = 0; i < count; i++)
            {
                var x = Double();
                var y = Double();
                Position += (stride - 2) * 8;
                if (double.IsNaN(x) || double.IsNaN(y)) continue; // POINT EMPTY is NaN NaN
                if (double.IsNaN(MinX))
                {
                    MinX = MaxX = x;
                    MinY = MaxY = y;
                    continue;
                }
                if (x < MinX) MinX = x;
                if (x > MaxX) MaxX = x;
                if (y < MinY) MinY = y;
                if (y > MaxY) MaxY = y;
            }
        }

        private int Count()
        {
            var n = UInt32();
            if (n > int.MaxValue / 32) throw new InvalidDataException($"WKB count {n} at byte {Position - 4} is impossibly large.");
            return (int)n;
        }

        private void Need(int bytes)
        {
            if (bytes < 0 || Position + bytes > _data.Length)
                throw new InvalidDataException($"WKB ends at byte {_data.Length}, inside a geometry that needs {bytes} more bytes from byte {Position}.");
        }

        private byte Byte()
        {
            Need(1);
            return _data[Position++];
        }

        private uint UInt32()
        {
            Need(4);
            var s = _data.Slice(Position, 4);
            Position += 4;
            return _little ? BinaryPrimitives.ReadUInt32LittleEndian(s) : BinaryPrimitives.ReadUInt32BigEndian(s);
        }

        private double Double()
        {
            var s = _data.Slice(Position, 8);
            Position += 8;
            return _little ? BinaryPrimitives.ReadDoubleLittleEndian(s) : BinaryPrimitives.ReadDoubleBigEndian(s);
        }
    }
}
