using NetTopologySuite.Simplify;

namespace TmLakehouse.Assets.Spatial.Recipes;

/// <summary>Simplifies each geometry without changing its topology (TopologyPreservingSimplifier, as ST_SimplifyPreserveTopology).</summary>
public sealed record SimplifyStep(double Tolerance = SimplifyStep.DefaultTolerance) : VectorStep
{
    /// <summary>Degrees, applied after the CRS is normalized: about 1 m on the ground.</summary>
    public const double DefaultTolerance = 0.00001;

    public override string Name => "simplify";
    public override IReadOnlyDictionary<string, string> Parameters =>
        new Dictionary<string, string> { ["tolerance"] = Tolerance.ToString("R", System.Globalization.CultureInfo.InvariantCulture), ["preserve_topology"] = "true" };

    public override Func<VectorFeature, VectorFeature> For(string file, SpatialReference crs) => feature =>
    {
        var simplified = TopologyPreservingSimplifier.Simplify(feature.Geometry, Tolerance);
        simplified.SRID = feature.Geometry.SRID;
        return feature with { Geometry = simplified };
    };

    public override string PostGisSql(string source, string target) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"CREATE TABLE {target} AS SELECT feature_index, properties, ST_SimplifyPreserveTopology(geometry, {Tolerance:R}) AS geometry FROM {source}");
}
