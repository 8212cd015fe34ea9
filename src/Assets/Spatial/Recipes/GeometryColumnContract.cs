namespace TmLakehouse.Assets.Spatial.Recipes;

/// <summary>LANDING_AND_SPATIAL §3: exactly one geometry column, named <c>geometry</c>, every feature with a geometry — before and after every step.</summary>
public static class GeometryColumnContract
{
    public static void Check(VectorLayer layer, string when)
    {
        if (layer.GeometryColumns is not [VectorLayer.GeometryColumn])
            throw new SpatialInputException(layer.SourceFile, null,
                $"{when}: the layer has geometry columns [{string.Join(", ", layer.GeometryColumns)}]; exactly one, named '{VectorLayer.GeometryColumn}', is allowed");
        foreach (var f in layer.Features)
            if (f.Geometry is null || f.Geometry.IsEmpty)
                throw new SpatialInputException(layer.SourceFile, f.Index, $"{when}: the feature has no geometry");
    }
}
