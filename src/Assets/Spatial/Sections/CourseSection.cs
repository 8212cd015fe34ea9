using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Geometries;

namespace TmLakehouse.Assets.Spatial.Sections;

/// <summary>One section polygon of a course hole, as spatial/course_sections holds it.</summary>
public sealed record CourseSection(string CourseId, int HoleNumber, int SectionNumber, Geometry Polygon)
{
    /// <summary>
    /// The section a feature describes: <c>hole_number</c> (or <c>hole</c>) and <c>section_number</c> (or <c>section</c>)
    /// from its attributes, <c>course_id</c> from them or else from the manifest's metadata; a polygon geometry.
    /// </summary>
    public static CourseSection Of(VectorFeature feature, string file, string? manifestCourseId)
    {
        var course = Text(feature, "course_id") ?? manifestCourseId
            ?? throw new SpatialInputException(file, feature.Index, "no course_id (neither an attribute nor in the manifest's metadata)");
        var hole = Number(feature, file, "hole_number", "hole");
        var section = Number(feature, file, "section_number", "section");
        if (feature.Geometry is not (NetTopologySuite.Geometries.Polygon or MultiPolygon))
            throw new SpatialInputException(file, feature.Index, $"a course section must be a polygon, not a {feature.Geometry.GeometryType}");
        return new CourseSection(course, hole, section, feature.Geometry);
    }

    /// <summary>The manifest metadata's <c>course_id</c>, if it has one.</summary>
    public static string? CourseIdOf(string manifestMetadata)
    {
        using var json = JsonDocument.Parse(manifestMetadata);
        return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("course_id", out var c) && c.ValueKind == JsonValueKind.String
            ? c.GetString() : null;
    }

    private static string? Text(VectorFeature feature, string name) =>
        feature.Properties.TryGetValue(name, out var v) && v is not null ? Convert.ToString(v, CultureInfo.InvariantCulture) : null;

    private static int Number(VectorFeature feature, string file, string name, string alias)
    {
        var text = Text(feature, name) ?? Text(feature, alias)
            ?? throw new SpatialInputException(file, feature.Index, $"no {name} attribute");
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) && d is >= 1 and <= int.MaxValue
            ? (int)d
            : throw new SpatialInputException(file, feature.Index, $"{name} '{text}' is not a positive whole number");
    }
}
