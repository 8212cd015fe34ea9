namespace Lakehouse.Core.Tables.GeoParquet;

/// <summary>
/// What GeoParquet needs to know of one WKB geometry: its type (ISO code 1–7), whether it has Z, and its 2D bounding box
/// (NaN when the geometry has no coordinates, e.g. POINT EMPTY).
/// </summary>
public readonly record struct WkbShape(int TypeCode, bool HasZ, double MinX, double MinY, double MaxX, double MaxY)
{
    private static readonly string[] Names = ["Geometry", "Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon", "GeometryCollection"];

    public bool IsEmpty => double.IsNaN(MinX);

    /// <summary>The GeoParquet <c>geometry_types</c> name: <c>Point</c>, <c>MultiPolygon Z</c>, ...</summary>
    public string TypeName => HasZ ? Names[TypeCode] + " Z" : Names[TypeCode];
}
