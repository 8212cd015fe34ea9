using Apache.Arrow;
using Lakehouse.Core.Tables;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.IO;
using TmLakehouse.Assets.Spatial.Output;

namespace TmLakehouse.Assets.Spatial.Sections;

/// <summary>
/// The section polygons of one course in an STRtree, for Silver's <c>fix_in_section</c> check: is a fix inside the polygon of
/// its own (hole_number, section_number)? The tree narrows each fix to the polygons whose envelope holds it.
/// </summary>
public sealed class SectionIndex
{
    private readonly STRtree<(int Hole, int Section, IPreparedGeometry Polygon)> _tree = new();
    private readonly HashSet<(int, int)> _sections = [];
    private static readonly GeometryFactory Factory = new();

    public int Count => _sections.Count;

    public SectionIndex(IEnumerable<CourseSection> sections)
    {
        foreach (var s in sections)
        {
            _tree.Insert(s.Polygon.EnvelopeInternal, (s.HoleNumber, s.SectionNumber, PreparedGeometryFactory.Prepare(s.Polygon)));
            _sections.Add((s.HoleNumber, s.SectionNumber));
        }
        _tree.Build();
    }

    /// <summary>Where a fix lies against its own section's polygon.</summary>
    public SectionFix Locate(int hole, int section, double longitude, double latitude)
    {
        if (!_sections.Contains((hole, section))) return SectionFix.NoPolygon;
        var point = Factory.CreatePoint(new Coordinate(longitude, latitude));
        foreach (var candidate in _tree.Query(point.EnvelopeInternal))
            if (candidate.Hole == hole && candidate.Section == section && candidate.Polygon.Covers(point)) return SectionFix.Inside;
        return SectionFix.Outside;
    }

    /// <summary>The course's polygons from spatial/course_sections; null when the table or the course has none.</summary>
    public static async Task<SectionIndex?> LoadAsync(ITableCatalog tables, string courseId, CancellationToken cancellationToken)
    {
        var table = await tables.LoadAsync(SpatialTables.CourseSections.Id, cancellationToken);
        if (table is null) return null;
        var reader = new WKBReader();
        var sections = new List<CourseSection>();
        await foreach (var batch in table.ScanAsync(new TableScan { Filter = RowFilter.Where(("course_id", courseId)), Columns = ["hole_number", "section_number", "geometry"] }, cancellationToken))
        {
            var hole = (Int32Array)batch.Column("hole_number");
            var section = (Int32Array)batch.Column("section_number");
            var geometry = (BinaryArray)batch.Column("geometry");
            for (var i = 0; i < batch.Length; i++)
                sections.Add(new CourseSection(courseId, hole.GetValue(i)!.Value, section.GetValue(i)!.Value, reader.Read(geometry.GetBytes(i).ToArray())));
        }
        return sections.Count == 0 ? null : new SectionIndex(sections);
    }
}

/// <summary>A fix against its section: inside the polygon, outside it, or no polygon for its (hole, section).</summary>
public enum SectionFix
{
    Inside,
    Outside,
    NoPolygon,
}
