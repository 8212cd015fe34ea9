using System.Text.Json;
using NetTopologySuite.Features;
using NetTopologySuite.IO.Converters;

namespace TmLakehouse.Assets.Spatial.Reading;

/// <summary>
/// GeoJSON through NetTopologySuite.IO.GeoJSON4STJ. RFC 7946 files are lon/lat; the 2008 form's <c>crs</c> member (which the
/// library skips) is read here, so a file saved in EPSG:3857 by older tools says so itself.
/// </summary>
internal static class GeoJsonLayerReader
{
    private static readonly JsonSerializerOptions Options = new() { Converters = { new GeoJsonConverterFactory() } };

    public static VectorLayer Read(string path, string file, SpatialReference? declared)
    {
        JsonDocument document;
        try
        {
            using var stream = File.OpenRead(path);
            document = JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new SpatialInputException(file, null, $"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            var crs = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("crs", out var c)
                      && c.TryGetProperty("properties", out var p) && p.TryGetProperty("name", out var n) ? n.GetString() : null;
            // RFC 7946: no crs member means lon/lat WGS 84, unless the manifest says otherwise.
            var reference = crs is null && declared is null ? SpatialReference.Wgs84 : VectorFileReader.Choose(file, crs, declared);
            var type = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var t) ? t.GetString() : null;
            IEnumerable<(JsonElement Json, int Index)> items = type switch
            {
                "FeatureCollection" when root.TryGetProperty("features", out var features) && features.ValueKind == JsonValueKind.Array =>
                    features.EnumerateArray().Select((f, i) => (f, i)),
                "Feature" => [(root, 0)],
                _ => throw new SpatialInputException(file, null, $"a GeoJSON FeatureCollection or Feature was expected, not {(type is null ? "this" : $"type '{type}'")}"),
            };
            var result = new List<VectorFeature>();
            var attributeGeometries = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var (json, index) in items)
            {
                IFeature? feature;
                try
                {
                    feature = json.Deserialize<IFeature>(Options);
                }
                catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or FormatException)
                {
                    throw new SpatialInputException(file, index, $"not a readable GeoJSON feature: {e.Message}", e);
                }
                if (feature?.Geometry is null) throw new SpatialInputException(file, index, "the feature has no geometry");
                var properties = AttributeValues.Of(feature.Attributes, out var named);
                attributeGeometries.UnionWith(named);
                result.Add(new VectorFeature(index, feature.Geometry, properties));
            }
            return new VectorLayer(file, "GeoJSON", reference, result) { GeometryColumns = [VectorLayer.GeometryColumn, .. attributeGeometries] };
        }
    }
}
