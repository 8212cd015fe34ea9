namespace TmLakehouse.Assets.Spatial;

/// <summary>
/// The features of one source file in one CRS, with the names of the columns that hold geometries (the recipe contract
/// wants exactly one, <c>geometry</c>). Held whole: the spatial-index step orders every feature, as PostGIS's does.
/// </summary>
public sealed record VectorLayer(string SourceFile, string Format, SpatialReference Crs, IReadOnlyList<VectorFeature> Features)
{
    public const string GeometryColumn = "geometry";

    /// <summary>The columns holding geometries: <c>geometry</c> and any attribute that also does (or is so named).</summary>
    public IReadOnlyList<string> GeometryColumns { get; init; } = [GeometryColumn];

    /// <summary>The file on local disk the layer was read from, for an engine that reads the file itself (PostGIS loads it with ogr2ogr).</summary>
    public string? LocalPath { get; init; }
}
