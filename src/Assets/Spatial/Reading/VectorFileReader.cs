namespace TmLakehouse.Assets.Spatial.Reading;

/// <summary>Reads a vector file (GeoJSON, a Shapefile as .zip or .shp with sidecars, GeoPackage) into a layer in its own CRS.</summary>
public static class VectorFileReader
{
    /// <summary>
    /// Reads <paramref name="localPath"/>; errors name <paramref name="displayName"/> (the landing key). The file's own CRS wins;
    /// <paramref name="declaredCrs"/> (the manifest's) is used when the file declares none.
    /// </summary>
    public static VectorLayer Read(string localPath, string displayName, string? format, string? declaredCrs) =>
        Open(localPath, displayName, format, declaredCrs).ToLayer();

    /// <summary>Opens <paramref name="localPath"/> as a stream of features (its CRS read now, its features as they are enumerated).</summary>
    public static VectorSource Open(string localPath, string displayName, string? format, string? declaredCrs)
    {
        var kind = (format ?? "").ToLowerInvariant() switch
        {
            "geojson" or "json" => "GeoJSON",
            "shapefile" or "esri shapefile" or "shp" => "Shapefile",
            "geopackage" or "gpkg" => "GeoPackage",
            "" => null,
            _ => throw new SpatialInputException(displayName, null, $"format '{format}' is not a vector format this lakehouse reads (GeoJSON, Shapefile, GeoPackage)"),
        } ?? Path.GetExtension(displayName).ToLowerInvariant() switch
        {
            ".geojson" or ".json" => "GeoJSON",
            ".shp" or ".zip" => "Shapefile",
            ".gpkg" => "GeoPackage",
            var other => throw new SpatialInputException(displayName, null, $"cannot tell the vector format from the extension '{other}'; give the manifest's format"),
        };
        var declared = Declared(displayName, declaredCrs);
        var source = kind switch
        {
            "GeoJSON" => GeoJsonLayerReader.Open(localPath, displayName, declared),
            "Shapefile" => ShapefileLayerReader.Open(localPath, displayName, declared),
            _ => GeoPackageLayerReader.Open(localPath, displayName, declared),
        };
        source.LocalPath = localPath;
        return source;
    }

    private static SpatialReference? Declared(string file, string? crs)
    {
        if (string.IsNullOrWhiteSpace(crs)) return null;
        return SpatialReference.TryParse(crs, out var problem)
               ?? throw new SpatialInputException(file, null, $"the manifest's crs '{crs}': {problem}");
    }

    /// <summary>The CRS to use: the file's own, else the manifest's, else an error saying neither was given.</summary>
    internal static SpatialReference Choose(string file, string? fileCrsText, SpatialReference? declared)
    {
        if (!string.IsNullOrWhiteSpace(fileCrsText))
            return SpatialReference.TryParse(fileCrsText, out var problem) ?? throw new SpatialInputException(file, null, problem ?? "its CRS cannot be read");
        return declared ?? throw new SpatialInputException(file, null, "its CRS is unknown: the file declares none and the manifest gives no crs");
    }
}
