using NetTopologySuite.Geometries;
using TmLakehouse.Assets.Spatial;
using TmLakehouse.Assets.Spatial.Reading;
using TmLakehouse.Assets.Spatial.Recipes;

namespace Assets.Tests.Spatial;

public sealed class VectorRecipeTests : IDisposable
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);
    private readonly SpatialFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static VectorLayer Layer(params Geometry[] geometries) => new("b1/shapes.geojson", "GeoJSON", SpatialReference.Wgs84,
        geometries.Select((g, i) => new VectorFeature(i, g, new Dictionary<string, object?>())).ToList());

    private static Polygon Polygon(params (double X, double Y)[] ring) => Factory.CreatePolygon(ring.Select(p => new Coordinate(p.X, p.Y)).ToArray());

    [Fact]
    public void MakeValid_RepairsABowtie_IntoItsTwoTriangles()
    {
        var bowtie = Polygon((0, 0), (1, 1), (1, 0), (0, 1), (0, 0));

        var result = new MakeValidStep().Apply(Layer(bowtie)).Features.Single().Geometry;

        Assert.False(bowtie.IsValid);
        Assert.True(result.IsValid);
        Assert.Equal(0.5, result.Area, 1e-12);
    }

    [Fact]
    public void MakeValid_FailsOnAPolygonWithNoArea_NamingTheFeature()
    {
        var flat = Polygon((0, 0), (1, 1), (2, 2), (0, 0));

        var e = Assert.Throws<SpatialInputException>(() => new MakeValidStep().Apply(Layer(Polygon((0, 0), (1, 0), (1, 1), (0, 0)), flat)));

        Assert.Equal(1, e.FeatureIndex);
        Assert.StartsWith("b1/shapes.geojson, feature 1: invalid Polygon", e.Message);
        Assert.Contains("cannot be made valid without losing its area", e.Message);
    }

    [Fact]
    public void Simplify_DropsPointsWithinTolerance_AndKeepsTheGeometryValid()
    {
        var ring = Enumerable.Range(0, 100).Select(i => (X: i * 0.0001, Y: i % 2 == 0 ? 0.0 : 0.000001))
            .Concat([(0.0099, 0.01), (0.0, 0.01), (0.0, 0.0)]).ToArray();

        var simplified = new SimplifyStep().Apply(Layer(Polygon(ring))).Features.Single().Geometry;

        Assert.True(simplified.NumPoints < 10, $"{simplified.NumPoints} points left");
        Assert.True(simplified.IsValid);
        Assert.Equal(Polygon(ring).Area, simplified.Area, 1e-7);
    }

    [Fact]
    public void SpatialIndex_OrdersNeighboursTogether_WithoutChangingGeometries()
    {
        var points = new[] { (0.0, 0.0), (10.0, 10.0), (0.1, 0.1), (10.1, 10.1), (0.0, 0.1) }.Select(p => (Geometry)Factory.CreatePoint(new Coordinate(p.Item1, p.Item2))).ToArray();

        var ordered = new SpatialIndexStep().Apply(Layer(points)).Features.Select(f => f.Index).ToList();

        Assert.True(ordered.Count == 5, string.Join(",", ordered));
        Assert.True(ordered.Take(3).Order().SequenceEqual([0, 2, 4]), string.Join(",", ordered));
        Assert.Equal([1, 3], ordered.Skip(3).Order());
    }

    [Fact]
    public async Task Contract_RejectsASecondGeometryColumn_BeforeTheFirstStep()
    {
        var path = _files.GeoJson("two.geojson", extraProperty: ""","geometry":"POINT (1 2)" """);
        var layer = VectorFileReader.Read(path, "b1/two.geojson", null, null);

        var e = await Assert.ThrowsAsync<SpatialInputException>(() => new InProcessVectorEngine().RunAsync(layer, VectorRecipes.Default, "r1", default));

        Assert.Equal("b1/two.geojson: before make_valid: the layer has geometry columns [geometry, geometry]; exactly one, named 'geometry', is allowed", e.Message);
    }

    [Fact]
    public async Task DefaultRecipe_RunsEveryStep_OnARealFile()
    {
        var path = _files.GeoJson("webmercator.geojson", p => (SpatialFiles.MercatorX(p.X), SpatialFiles.MercatorY(p.Y)));
        var layer = VectorFileReader.Read(path, "b1/webmercator.geojson", null, "EPSG:3857");

        var result = await new InProcessVectorEngine().RunAsync(layer, VectorRecipes.Default, "r1", default);

        Assert.Equal(SpatialReference.Wgs84, result.Crs);
        Assert.Equal(6, result.Features.Count);
        Assert.All(result.Features, f => Assert.InRange(f.Geometry.EnvelopeInternal.MinX, -88.0501, -88.046));
    }

    [Fact]
    public void Registry_GivesSectionsTheirRecipeWithoutSimplify_AndUnknownIntentsTheDefaultWithANote()
    {
        var sections = VectorRecipes.ForIntent("course_sections", out var none);
        var unknown = VectorRecipes.ForIntent("ingest_mystery", out var note);

        Assert.Null(none);
        Assert.Equal(["make_valid", "normalize_crs", "spatial_index"], sections.Steps.Select(s => s.Name));
        Assert.Same(VectorRecipes.Default, unknown);
        Assert.Equal(["make_valid", "normalize_crs", "simplify", "spatial_index"], unknown.Steps.Select(s => s.Name));
        Assert.Equal("intent 'ingest_mystery' has no vector recipe of its own; the default 'ingest_vector' ran", note);
    }
}
