using Apache.Arrow;
using Lakehouse.Core.Tables;
using NetTopologySuite.IO;
using TmLakehouse.Assets.Spatial.Output;

namespace TmLakehouse.Assets.Spatial.Sections;

/// <summary>Replaces the polygons of each course a sections batch names: one snapshot per course (a row filter is one course).</summary>
public static class CourseSectionsWriter
{
    /// <summary>The replace; a recorder, when given, runs before each data file is put (its ledger row first).</summary>
    public static async Task<IReadOnlyList<TableCommit>> ReplaceCoursesAsync(ILakeTable table, string batchId,
        IReadOnlyList<(string SourceFile, CourseSection Section)> sections, IReadOnlyDictionary<string, string> summary, DataFileRecorder? recorder,
        CancellationToken cancellationToken)
    {
        var commits = new List<TableCommit>();
        foreach (var course in sections.GroupBy(s => s.Section.CourseId, StringComparer.Ordinal))
            commits.Add(await ReplaceCourseAsync(table, course.Key, batchId, course.ToList(), summary, recorder, cancellationToken));
        return commits;
    }

    private static async Task<TableCommit> ReplaceCourseAsync(ILakeTable table, string courseId, string batchId,
        IReadOnlyList<(string SourceFile, CourseSection Section)> sections, IReadOnlyDictionary<string, string> summary, DataFileRecorder? recorder,
        CancellationToken cancellationToken)
    {
        await using var writer = table.NewReplace(RowFilter.Where(("course_id", courseId)));
        if (recorder is not null) writer.BeforeEachFile = recorder;
        var wkb = new WKBWriter(ByteOrder.LittleEndian, handleSRID: false, emitZ: false);
        var course = new StringArray.Builder();
        var hole = new Int32Array.Builder();
        var section = new Int32Array.Builder();
        var geometry = new BinaryArray.Builder();
        var batch = new StringArray.Builder();
        var file = new StringArray.Builder();
        foreach (var (source, s) in sections)
        {
            course.Append(s.CourseId);
            hole.Append(s.HoleNumber);
            section.Append(s.SectionNumber);
            geometry.Append(wkb.Write(s.Polygon).AsSpan());
            batch.Append(batchId);
            file.Append(source);
        }
        await writer.WriteAsync(new RecordBatch(table.ArrowSchema,
            [course.Build(), hole.Build(), section.Build(), geometry.Build(), batch.Build(), file.Build()], sections.Count), cancellationToken);
        return await writer.CommitAsync(summary, cancellationToken);
    }
}
