using System.Globalization;
using System.Text.Json;

namespace TmLakehouse.Assets.SampleData;

/// <summary>
/// The section polygons of a sample course as a GeoJSON FeatureCollection in lon/lat (course_id, hole_number,
/// section_number per feature), matching where <see cref="RoundFactory"/> places fixes, so a course_sections manifest of
/// this file gives Silver's fix_in_section check something real to measure.
/// </summary>
internal static class SectionPolygonWriter
{
    // Wider than the fixes' jitter (every fix lands inside), narrower than the gap to the next section of the hole.
    private const double HalfHeight = 0.0005, HalfWidth = 0.0007;

    public static string Write(string folder, CourseProfile course)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{course.Id}_sections.geojson");
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        json.WriteStartObject();
        json.WriteString("type", "FeatureCollection");
        json.WriteStartArray("features");
        for (var hole = 1; hole <= course.Holes; hole++)
            for (var section = 1; section <= RoundFactory.SectionsOfHole; section++)
            {
                var (lat, lon) = RoundFactory.SectionCenter(course, hole, section);
                json.WriteStartObject();
                json.WriteString("type", "Feature");
                json.WriteStartObject("properties");
                json.WriteString("course_id", course.Id);
                json.WriteNumber("hole_number", hole);
                json.WriteNumber("section_number", (hole - 1) * RoundFactory.SectionsOfHole + section);
                json.WriteEndObject();
                json.WriteStartObject("geometry");
                json.WriteString("type", "Polygon");
                json.WriteStartArray("coordinates");
                json.WriteStartArray();
                foreach (var (dx, dy) in new[] { (-1, -1), (1, -1), (1, 1), (-1, 1), (-1, -1) })
                {
                    json.WriteStartArray();
                    json.WriteRawValue((lon + dx * HalfWidth).ToString("R", CultureInfo.InvariantCulture));
                    json.WriteRawValue((lat + dy * HalfHeight).ToString("R", CultureInfo.InvariantCulture));
                    json.WriteEndArray();
                }
                json.WriteEndArray();
                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteEndObject();
            }
        json.WriteEndArray();
        json.WriteEndObject();
        return path;
    }
}
