namespace TmLakehouse.Assets.Spatial.Recipes;

/// <summary>LANDING_AND_SPATIAL §3: exactly one geometry column, named <c>geometry</c>, every feature with a geometry — before and after every step.</summary>
public static class GeometryColumnContract
{
    public static void Check(VectorLayer layer, string when)
    {
        CheckColumns(layer.SourceFile, layer.GeometryColumns, when);
        foreach (var f in layer.Features) CheckFeature(layer.SourceFile, f, when);
    }

    public static void CheckColumns(string file, IReadOnlyList<string> geometryColumns, string when)
    {
        if (geometryColumns is not [VectorLayer.GeometryColumn])
            throw new SpatialInputException(file, null,
                $"{when}: the layer has geometry columns [{string.Join(", ", geometryColumns)}]; exactly one, named '{VectorLayer.GeometryColumn}', is allowed");
    }

    public static void CheckFeature(string file, VectorFeature feature, string when)
    {
        if (feature.Geometry is null || feature.Geometry.IsEmpty)
            throw new SpatialInputException(file, feature.Index, $"{when}: the feature has no geometry");
    }
}
