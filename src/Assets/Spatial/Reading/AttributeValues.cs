using System.Text.Json;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace TmLakehouse.Assets.Spatial.Reading;

/// <summary>Feature attributes as plain values (string, long, double, bool, null; dates as ISO text), whatever the reader gave.</summary>
internal static class AttributeValues
{
    public static Dictionary<string, object?> Of(IAttributesTable? attributes, out List<string> geometryNamed)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        geometryNamed = [];
        if (attributes is null) return result;
        foreach (var name in attributes.GetNames())
        {
            var value = attributes[name];
            if (value is Geometry || name == VectorLayer.GeometryColumn) geometryNamed.Add(name);
            result[name] = Plain(value);
        }
        return result;
    }

    public static object? Plain(object? value) => value switch
    {
        null or DBNull => null,
        JsonElement e => e.ValueKind switch
        {
            JsonValueKind.String => e.GetString(),
            JsonValueKind.Number => e.TryGetInt64(out var l) ? l : e.GetDouble(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => e.GetRawText(),
        },
        string or bool or long or double => value,
        int i => (long)i,
        short s => (long)s,
        byte b => (long)b,
        float f => (double)f,
        decimal d => (double)d,
        DateTime t => t.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToBase64String(bytes),
        Geometry g => g.AsText(),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
    };
}
