using System.Text;
using System.Text.Json;

namespace Lakehouse.Core.Tables.GeoParquet;

/// <summary>The GeoParquet 1.1 <c>geo</c> footer value for one WKB geometry column in lon/lat with a bbox covering column.</summary>
public static class GeoMetadataJson
{
    public const string Version = "1.1.0";

    public static string Write(string column, IEnumerable<string> geometryTypes, double[]? bbox, string coveringColumn)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("version", Version);
            w.WriteString("primary_column", column);
            w.WriteStartObject("columns");
            w.WriteStartObject(column);
            w.WriteString("encoding", "WKB");
            w.WriteStartArray("geometry_types");
            foreach (var type in geometryTypes) w.WriteStringValue(type);
            w.WriteEndArray();
            // No "crs": GeoParquet's default, OGC:CRS84 (EPSG:4326 with lon/lat order), is what every geometry here is in.
            if (bbox is not null)
            {
                w.WriteStartArray("bbox");
                foreach (var v in bbox) w.WriteNumberValue(v);
                w.WriteEndArray();
            }
            w.WriteStartObject("covering");
            w.WriteStartObject("bbox");
            foreach (var part in new[] { "xmin", "ymin", "xmax", "ymax" })
            {
                w.WriteStartArray(part);
                w.WriteStringValue(coveringColumn);
                w.WriteStringValue(part);
                w.WriteEndArray();
            }
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
