using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Operation.Valid;

namespace TmLakehouse.Assets.Spatial.Recipes;

/// <summary>Repairs invalid geometries (GeometryFixer, as ST_MakeValid); one that repairs to nothing of its dimension fails the step.</summary>
public sealed record MakeValidStep : VectorStep
{
    public override string Name => "make_valid";

    public override Func<VectorFeature, VectorFeature> For(string file, SpatialReference crs) => feature =>
    {
        var geometry = feature.Geometry;
        if (geometry.IsValid) return feature;
        var reason = new IsValidOp(geometry).ValidationError;
        var fixedGeometry = GeometryFixer.Fix(geometry, isKeepMulti: true);
        if (fixedGeometry.IsEmpty || fixedGeometry.Dimension < geometry.Dimension)
            throw new SpatialInputException(file, feature.Index,
                $"invalid {geometry.GeometryType} ({reason?.Message} at {reason?.Coordinate}) cannot be made valid without losing its {DimensionName(geometry.Dimension)}");
        return feature with { Geometry = fixedGeometry };
    };

    private static string DimensionName(Dimension d) => d switch { Dimension.Surface => "area", Dimension.Curve => "length", _ => "points" };

    public override string PostGisSql(string source, string target) =>
        $"CREATE TABLE {target} AS SELECT feature_index, properties, CASE WHEN ST_IsValid(geometry) THEN geometry ELSE ST_MakeValid(geometry, 'method=structure keepcollapsed=false') END AS geometry FROM {source}";
}
