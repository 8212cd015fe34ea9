using TmLakehouse.Assets.Spatial;

namespace Assets.Tests.Spatial;

public sealed class SpatialReferenceTests
{
    [Theory]
    [InlineData("EPSG:4326", 4326)]
    [InlineData("epsg:3857", 3857)]
    [InlineData("urn:ogc:def:crs:EPSG::32616", 32616)]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/32755", 32755)]
    [InlineData("OGC:CRS84", 4326)]
    [InlineData("""{"type":"ProjectedCRS","name":"WGS 84 / UTM zone 16N","id":{"authority":"EPSG","code":32616}}""", 32616)]
    [InlineData("""PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],UNIT["Meter",1.0]]""", 3857)]
    [InlineData("""PROJCS["WGS_1984_UTM_Zone_16N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],UNIT["Meter",1.0]]""", 32616)]
    public void TryParse_KnowsTheCrsUsersSend(string text, int code)
    {
        Assert.Equal(code, SpatialReference.TryParse(text, out var problem)?.Code);
        Assert.Null(problem);
    }

    [Fact]
    public void TryParse_OfWktWithoutACodeOfItsOwn_DoesNotTakeItsGeographicBase()
    {
        // The GEOGCS inside carries EPSG:4326; the projected CRS itself has no code, so it is parsed from its WKT.
        const string wkt = """PROJCS["Custom TM",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","4326"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",-87],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1]]""";

        var crs = SpatialReference.TryParse(wkt, out _);

        Assert.NotNull(crs);
        Assert.Null(crs.Code);
        double x = 500000, y = 4838000;
        crs.ToWgs84().Transform(ref x, ref y);
        Assert.Equal(-87, x, 1e-9);
    }

    [Fact]
    public void TryParse_SaysWhyItCannotUseACode()
    {
        Assert.Null(SpatialReference.TryParse("EPSG:27700", out var problem));
        Assert.Contains("EPSG:27700", problem);
    }
}
