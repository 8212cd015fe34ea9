using TmLakehouse.Assets.Spatial;
using TmLakehouse.Assets.Spatial.Reading;
using TmLakehouse.Assets.Spatial.Recipes;

namespace Assets.Tests.Spatial;

/// <summary>Each vector format read and normalized to lon/lat, checked against the known positions the files were made from.</summary>
public sealed class VectorReadingTests : IDisposable
{
    private readonly SpatialFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static VectorLayer Normalized(VectorLayer layer) => new NormalizeCrsStep().Apply(layer);

    private static void AssertAtTheSections(VectorLayer layer, double tolerance)
    {
        Assert.Equal(SpatialFiles.Sections.Count, layer.Features.Count);
        foreach (var feature in layer.Features)
        {
            var hole = Convert.ToInt32(feature.Properties["hole"]);
            var section = Convert.ToInt32(feature.Properties["section"]);
            var expected = SpatialFiles.Sections.Single(s => s.Hole == hole && s.Section == section).Ring;
            var envelope = feature.Geometry.EnvelopeInternal;
            Assert.Equal(expected.Min(p => p.X), envelope.MinX, tolerance);
            Assert.Equal(expected.Max(p => p.Y), envelope.MaxY, tolerance);
            Assert.Equal(4326, feature.Geometry.SRID);
        }
    }

    [Fact]
    public void GeoJson_In3857_DeclaredByTheManifest_BecomesLonLat()
    {
        var path = _files.GeoJson("webmercator.geojson", p => (SpatialFiles.MercatorX(p.X), SpatialFiles.MercatorY(p.Y)));

        var layer = VectorFileReader.Read(path, "b1/webmercator.geojson", "GeoJSON", "EPSG:3857");

        Assert.Equal("EPSG:3857", layer.Crs.Name);
        AssertAtTheSections(Normalized(layer), 1e-9);
    }

    [Fact]
    public void GeoJson_StreamedAcrossManyBuffers_ReadsEveryFeatureInOrder_WithItsCrsMemberAfterTheFeatures()
    {
        // 3,000 small features (far more than one 64 KiB buffer), one feature of ~200 KiB (larger than the buffer), and the
        // 2008-style crs member after the features array, where only the first pass can see it before any feature is read.
        var features = Enumerable.Range(0, 3000).Select(i => i == 1500 ? BigFeature(i) : SmallFeature(i));
        var path = _files.Write("streamed.geojson",
            "{\"type\":\"FeatureCollection\",\"features\":[" + string.Join(",", features) + "],\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:3857\"}}}");

        var source = VectorFileReader.Open(path, "b1/streamed.geojson", "GeoJSON", null);
        var read = source.Features().ToList();

        Assert.Equal("EPSG:3857", source.Crs.Name);
        Assert.Equal(Enumerable.Range(0, 3000), read.Select(f => f.Index));
        Assert.Equal(Enumerable.Range(0, 3000).Select(i => (long)i), read.Select(f => Convert.ToInt64(f.Properties["id"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(5001, read[1500].Geometry.NumPoints);
        Assert.Equal(-9_810_000 + 2999 * 10, read[2999].Geometry.Coordinate.X, 1e-9);
    }

    private static string SmallFeature(int i) =>
        $"{{\"type\":\"Feature\",\"properties\":{{\"id\":{i},\"name\":\"f{i}\"}},\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{-9_810_000 + i * 10},5350000]}}}}";

    private static string BigFeature(int i) =>
        $"{{\"type\":\"Feature\",\"properties\":{{\"id\":{i}}},\"geometry\":{{\"type\":\"LineString\",\"coordinates\":[" +
        string.Join(",", Enumerable.Range(0, 5001).Select(v => $"[{-9_810_000 + i * 10 + v * 0.5:0.0},{5350000 + v % 7}.125]")) + "]}}";

    [Fact]
    public void GeoJson_DeclaringItsOwnCrsMember_NeedsNoManifestCrs()
    {
        var path = _files.GeoJson("legacy.geojson", p => (SpatialFiles.MercatorX(p.X), SpatialFiles.MercatorY(p.Y)), crsName: "urn:ogc:def:crs:EPSG::3857");

        var layer = VectorFileReader.Read(path, "b1/legacy.geojson", null, null);

        AssertAtTheSections(Normalized(layer), 1e-9);
    }

    [Fact]
    public void ZippedShapefile_TakesItsCrsFromThePrj()
    {
        var zip = _files.ZippedShapefile("mercator", 3857);

        var layer = VectorFileReader.Read(zip, "b1/sections.zip", "Shapefile", null);

        Assert.Equal(3857, layer.Crs.Code);
        AssertAtTheSections(Normalized(layer), 1e-9);
    }

    [Fact]
    public void Shapefile_InAUtmZone_FromSidecarFiles_BecomesLonLat()
    {
        _files.ZippedShapefile("utm", 32616);

        var layer = VectorFileReader.Read(Path.Combine(_files.Folder, "utm", "sections.shp"), "b1/sections.shp", null, null);

        Assert.Equal(32616, layer.Crs.Code);
        AssertAtTheSections(Normalized(layer), 1e-7);
    }

    [Fact]
    public void GeoPackage_TakesItsCrsFromGpkgSpatialRefSys()
    {
        var gpkg = _files.Ogr2Ogr("GPKG", "sections.gpkg", _files.GeoJson("source.geojson"), "-t_srs", "EPSG:3857", "-nln", "sections");

        var layer = VectorFileReader.Read(gpkg, "b1/sections.gpkg", "GeoPackage", null);

        Assert.Equal(3857, layer.Crs.Code);
        Assert.Equal(["geometry"], layer.GeometryColumns);
        AssertAtTheSections(Normalized(layer), 1e-9);
    }

    [Fact]
    public void Shapefile_WithoutItsShx_FailsNamingTheFileAndThePart()
    {
        var zip = _files.ZippedShapefile("noshx", 3857, ".shx");

        var e = Assert.Throws<SpatialInputException>(() => VectorFileReader.Read(zip, "b1/noshx.zip", "Shapefile", null));

        Assert.Equal("b1/noshx.zip: the Shapefile has no .shx beside its .shp (send all its parts, or a .zip of them)", e.Message);
    }

    [Fact]
    public void Shapefile_WithoutPrj_AndNoManifestCrs_FailsSayingTheCrsIsUnknown()
    {
        var zip = _files.ZippedShapefile("noprj", 3857, ".prj");

        var e = Assert.Throws<SpatialInputException>(() => VectorFileReader.Read(zip, "b1/noprj.zip", "Shapefile", null));
        var given = VectorFileReader.Read(zip, "b1/noprj.zip", "Shapefile", "EPSG:3857");

        Assert.Contains("its CRS is unknown", e.Message);
        AssertAtTheSections(Normalized(given), 1e-9);
    }

    [Fact]
    public void ProjectedCoordinates_InAFileWithoutCrs_FailTheNormalizeStep_NamingTheFeature()
    {
        var path = _files.GeoJson("undeclared.geojson", p => (SpatialFiles.MercatorX(p.X), SpatialFiles.MercatorY(p.Y)));
        var layer = VectorFileReader.Read(path, "b1/undeclared.geojson", null, null);

        var e = Assert.Throws<SpatialInputException>(() => Normalized(layer));

        Assert.Equal((0, "b1/undeclared.geojson"), (e.FeatureIndex, e.File));
        Assert.Contains("is not a lon/lat position", e.Message);
    }

    [Fact]
    public void EmptyLayer_IsRejected()
    {
        var path = _files.Write("empty.geojson", """{"type":"FeatureCollection","features":[]}""");

        var e = Assert.Throws<SpatialInputException>(() => VectorFileReader.Read(path, "b1/empty.geojson", null, null));

        Assert.Equal("b1/empty.geojson: the layer has no features", e.Message);
    }

    [Fact]
    public void UnknownManifestCrs_IsRejected_BeforeReading()
    {
        var path = _files.GeoJson("x.geojson");

        var e = Assert.Throws<SpatialInputException>(() => VectorFileReader.Read(path, "b1/x.geojson", null, "EPSG:2056"));

        Assert.Contains("EPSG:2056 is not a CRS this lakehouse knows", e.Message);
    }
}
