using NetTopologySuite.Geometries;
using NetTopologySuite.Shape.Fractal;

namespace TmLakehouse.Assets.Spatial.Recipes;

/// <summary>
/// Orders features along a Hilbert curve over the layer's extent, so neighbours share row groups and a reader's bbox
/// filter (the GeoParquet covering column's statistics) skips most of the file; PostGIS does it with ST_GeoHash order
/// after a GiST index. Geometries are unchanged; ties keep source order.
/// </summary>
public sealed record SpatialIndexStep : VectorStep
{
    // HilbertCode returns an int: level 15 is the finest whose codes (up to 2^30) fit.
    private const int Level = 15;

    public override string Name => "spatial_index";
    public override IReadOnlyDictionary<string, string> Parameters { get; } = new Dictionary<string, string> { ["order"] = "hilbert" };

    public override VectorLayer Apply(VectorLayer layer)
    {
        var extent = new Envelope();
        foreach (var f in layer.Features) extent.ExpandToInclude(f.Geometry.EnvelopeInternal);
        var side = (1 << Level) - 1;
        long Code(VectorFeature f)
        {
            var centre = f.Geometry.EnvelopeInternal.Centre;
            var x = extent.Width > 0 ? (int)Math.Round((centre.X - extent.MinX) / extent.Width * side) : 0;
            var y = extent.Height > 0 ? (int)Math.Round((centre.Y - extent.MinY) / extent.Height * side) : 0;
            return HilbertCode.Encode(Level, x, y);
        }
        return layer with { Features = layer.Features.OrderBy(Code).ThenBy(f => f.Index).ToList() };
    }

    public override string PostGisSql(string source, string target) =>
        $"CREATE INDEX ON {source} USING GIST (geometry); CREATE TABLE {target} AS SELECT * FROM {source} ORDER BY ST_GeoHash(ST_Centroid(Box2D(geometry)), 16), feature_index";
}
