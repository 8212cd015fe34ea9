using NetTopologySuite.Geometries;

namespace TmLakehouse.Assets.Spatial.Recipes;

/// <summary>
/// Orders features along a Hilbert curve over the lon/lat globe, so neighbours share row groups and a reader's bbox filter
/// (the GeoParquet covering column's statistics) skips most of the file; PostGIS does it with ST_GeoHash order after a GiST
/// index. The curve covers the globe rather than the layer's extent so each feature's key is known when it streams by: the
/// in-process engine sorts by key in bounded runs spilled to disk, never holding the layer. 2^31 cells a side (~0.2 mm of
/// longitude) separate any two features a survey would. Geometries are unchanged; ties keep source order.
/// </summary>
public sealed record SpatialIndexStep : VectorStep
{
    private const int Level = 31;

    public override string Name => "spatial_index";
    public override IReadOnlyDictionary<string, string> Parameters { get; } = new Dictionary<string, string> { ["order"] = "hilbert" };

    public override Func<VectorFeature, VectorFeature> For(string file, SpatialReference crs) => feature => feature;

    public override VectorLayer Apply(VectorLayer layer) =>
        layer with { Features = layer.Features.OrderBy(f => KeyOf(f.Geometry)).ThenBy(f => f.Index).ToList() };

    /// <summary>The Hilbert index of the centre of the geometry's envelope, in lon/lat.</summary>
    public static long KeyOf(Geometry geometry)
    {
        var centre = geometry.EnvelopeInternal.Centre;
        const long side = (1L << Level) - 1;
        var x = (long)Math.Round(Math.Clamp((centre.X + 180) / 360, 0, 1) * side);
        var y = (long)Math.Round(Math.Clamp((centre.Y + 90) / 180, 0, 1) * side);
        return Hilbert(x, y);
    }

    /// <summary>The distance along the curve of cell (x, y) on a 2^Level grid (the classic xy2d walk, quadrant by quadrant).</summary>
    private static long Hilbert(long x, long y)
    {
        const long n = 1L << Level;
        long d = 0;
        for (var s = n / 2; s > 0; s /= 2)
        {
            var rx = (x & s) > 0 ? 1L : 0L;
            var ry = (y & s) > 0 ? 1L : 0L;
            d += s * s * ((3 * rx) ^ ry);
            if (ry == 0)
            {
                if (rx == 1)
                {
                    x = n - 1 - x;
                    y = n - 1 - y;
                }
                (x, y) = (y, x);
            }
        }
        return d;
    }

    public override string PostGisSql(string source, string target) =>
        $"CREATE INDEX ON {source} USING GIST (geometry); CREATE TABLE {target} AS SELECT * FROM {source} ORDER BY ST_GeoHash(ST_Centroid(Box2D(geometry)), 16), feature_index";
}
