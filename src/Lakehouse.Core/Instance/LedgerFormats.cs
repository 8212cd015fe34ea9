namespace Lakehouse.Core.Instance;

/// <summary>The formats a ledger row may name; migration 0010 declares the same list as a CHECK, so a new one needs a migration.</summary>
public static class LedgerFormats
{
    public const string Csv = "csv";
    public const string Json = "json";
    public const string GeoJson = "geojson";
    /// <summary>An ESRI Shapefile, as a .zip or its sidecar files.</summary>
    public const string Shapefile = "shapefile";
    public const string GeoPackage = "geopackage";
    public const string GeoParquet = "geoparquet";
    public const string Parquet = "parquet";
    public const string GeoTiff = "geotiff";
    /// <summary>A Cloud Optimized GeoTIFF.</summary>
    public const string Cog = "cog";
    /// <summary>A dataset's metadata document in the spirit of ISO 19115.</summary>
    public const string Iso19115 = "iso19115";

    public static IReadOnlyList<string> All { get; } = [Csv, Json, GeoJson, Shapefile, GeoPackage, GeoParquet, Parquet, GeoTiff, Cog, Iso19115];
}
