using Lakehouse.Core.Tables.GeoParquet;

namespace Lakehouse.Core.Tests.Tables.GeoParquet;

public sealed class WkbReaderTests
{
    [Fact]
    public void Read_GivesTypeAndBox_OfAPolygon()
    {
        var shape = WkbReader.Read(Wkb.Polygon((1, 2), (4, 2), (4, 7), (1, 2)));

        Assert.Equal("Polygon", shape.TypeName);
        Assert.Equal((1.0, 2.0, 4.0, 7.0), (shape.MinX, shape.MinY, shape.MaxX, shape.MaxY));
    }

    [Fact]
    public void Read_AcceptsBigEndianPoints_AndEwkbWithZAndSrid()
    {
        var big = WkbReader.Read(Wkb.Point(-88.1, 43.2, bigEndian: true));
        var ewkb = WkbReader.Read(Wkb.EwkbPointZWithSrid(5, 6, 100, 4326));

        Assert.Equal(("Point", -88.1, 43.2), (big.TypeName, big.MinX, big.MaxY));
        Assert.Equal(("Point Z", 5.0, 6.0), (ewkb.TypeName, ewkb.MinX, ewkb.MinY));
    }

    [Fact]
    public void Read_SpansEveryPart_OfAMultiPolygon()
    {
        var shape = WkbReader.Read(Wkb.MultiPolygon(
            Wkb.Polygon((0, 0), (1, 0), (1, 1), (0, 0)),
            Wkb.Polygon((10, -5), (12, -5), (12, -3), (10, -5))));

        Assert.Equal("MultiPolygon", shape.TypeName);
        Assert.Equal((0.0, -5.0, 12.0, 1.0), (shape.MinX, shape.MinY, shape.MaxX, shape.MaxY));
    }

    [Fact]
    public void Read_OfAnEmptyPoint_IsEmpty()
    {
        Assert.True(WkbReader.Read(Wkb.EmptyPoint()).IsEmpty);
        Assert.False(WkbReader.Read(Wkb.PointZ(1, 2, 3)).IsEmpty);
    }

    [Fact]
    public void Read_RejectsTruncatedWkb_SayingWhereItEnds()
    {
        var whole = Wkb.Polygon((1, 2), (4, 2), (4, 7), (1, 2));

        var e = Assert.Throws<InvalidDataException>(() => WkbReader.Read(whole.AsSpan(0, whole.Length - 3)));

        Assert.Contains("ends at byte", e.Message);
        Assert.Throws<InvalidDataException>(() => WkbReader.Read([7, 1, 0, 0, 0]));
    }
}
