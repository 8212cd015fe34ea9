using System.Text.Json;
using NetTopologySuite.Features;
using NetTopologySuite.IO.Converters;

namespace TmLakehouse.Assets.Spatial.Reading;

/// <summary>
/// GeoJSON through NetTopologySuite.IO.GeoJSON4STJ, one feature at a time: a <see cref="GeoJsonScanner"/> walks the file with
/// Utf8JsonReader and hands each element of <c>features</c> to the library's converter, so memory holds one buffer and one
/// feature, not the collection. RFC 7946 files are lon/lat; the 2008 form's <c>crs</c> member (which the library skips) is read
/// by a first pass that skips the features, so a file saved in EPSG:3857 by older tools says so itself wherever the member is.
/// </summary>
internal static class GeoJsonLayerReader
{
    private static readonly JsonSerializerOptions Options = new() { Converters = { new GeoJsonConverterFactory() } };

    public static VectorSource Open(string path, string file, SpatialReference? declared)
    {
        var (type, crs) = GeoJsonScanner.ScanRoot(path, file);
        // RFC 7946: no crs member means lon/lat WGS 84, unless the manifest says otherwise.
        var reference = crs is null && declared is null ? SpatialReference.Wgs84 : VectorFileReader.Choose(file, crs, declared);
        return type switch
        {
            "FeatureCollection" => new VectorSource(file, "GeoJSON", reference, source => ReadCollection(path, file, source)),
            "Feature" => new VectorSource(file, "GeoJSON", reference, source => [ReadSingle(path, file, source)]),
            _ => throw new SpatialInputException(file, null, $"a GeoJSON FeatureCollection or Feature was expected, not {(type is null ? "this" : $"type '{type}'")}"),
        };
    }

    private static IEnumerable<VectorFeature> ReadCollection(string path, string file, VectorSource source)
    {
        using var scanner = new GeoJsonScanner(path, file, (ref Utf8JsonReader reader, int index) => Feature(ref reader, file, index, source));
        var window = new List<VectorFeature>();
        while (scanner.Next(window))
        {
            foreach (var feature in window) yield return feature;
            window.Clear();
        }
    }

    private static VectorFeature ReadSingle(string path, string file, VectorSource source)
    {
        var reader = new Utf8JsonReader(File.ReadAllBytes(path)); // one feature: the file is that feature
        reader.Read();
        return Feature(ref reader, file, 0, source);
    }

    private static VectorFeature Feature(ref Utf8JsonReader reader, string file, int index, VectorSource source)
    {
        IFeature? feature;
        try
        {
            feature = JsonSerializer.Deserialize<IFeature>(ref reader, Options);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or FormatException)
        {
            throw new SpatialInputException(file, index, $"not a readable GeoJSON feature: {e.Message}", e);
        }
        if (feature?.Geometry is null) throw new SpatialInputException(file, index, "the feature has no geometry");
        var properties = AttributeValues.Of(feature.Attributes, out var named);
        source.NoteGeometryColumns(named);
        return new VectorFeature(index, feature.Geometry, properties);
    }
}
