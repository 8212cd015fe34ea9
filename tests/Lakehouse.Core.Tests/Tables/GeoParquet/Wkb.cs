using System.Buffers.Binary;

namespace Lakehouse.Core.Tests.Tables.GeoParquet;

/// <summary>Hand-encoded WKB for the tests (ISO, little-endian unless asked), so the reader is checked against the format, not itself.</summary>
internal static class Wkb
{
    public static byte[] Point(double x, double y, bool bigEndian = false) => Build(bigEndian, 1, w => { w.D(x); w.D(y); });

    public static byte[] PointZ(double x, double y, double z) => Build(false, 1001, w => { w.D(x); w.D(y); w.D(z); });

    public static byte[] EmptyPoint() => Point(double.NaN, double.NaN);

    /// <summary>A polygon of one ring (closed by the caller's last point).</summary>
    public static byte[] Polygon(params (double X, double Y)[] ring) => Build(false, 3, w =>
    {
        w.U(1);
        w.U((uint)ring.Length);
        foreach (var (x, y) in ring) { w.D(x); w.D(y); }
    });

    public static byte[] MultiPolygon(params byte[][] polygons) => Build(false, 6, w =>
    {
        w.U((uint)polygons.Length);
        foreach (var p in polygons) w.Raw(p);
    });

    /// <summary>PostGIS EWKB: the Z flag and an SRID in the type word.</summary>
    public static byte[] EwkbPointZWithSrid(double x, double y, double z, uint srid) => Build(false, 0x80000000 | 0x20000000 | 1, w =>
    {
        w.U(srid);
        w.D(x); w.D(y); w.D(z);
    });

    private static byte[] Build(bool bigEndian, uint type, Action<Writer> body)
    {
        var w = new Writer(bigEndian);
        w.Raw([bigEndian ? (byte)0 : (byte)1]);
        w.U(type);
        body(w);
        return w.Bytes.ToArray();
    }

    private sealed class Writer(bool bigEndian)
    {
        public MemoryStream Bytes { get; } = new();

        public void Raw(byte[] b) => Bytes.Write(b);

        public void U(uint v)
        {
            var b = new byte[4];
            if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(b, v); else BinaryPrimitives.WriteUInt32LittleEndian(b, v);
            Bytes.Write(b);
        }

        public void D(double v)
        {
            var b = new byte[8];
            if (bigEndian) BinaryPrimitives.WriteDoubleBigEndian(b, v); else BinaryPrimitives.WriteDoubleLittleEndian(b, v);
            Bytes.Write(b);
        }
    }
}
