using Apache.Arrow;
using Lakehouse.Core.Tables;

namespace TmLakehouse.Assets.Spatial.Sections;

/// <summary>
/// Silver's <c>fix_in_section</c> counts over written fixes: inside their section's polygon, outside it, and apart those
/// whose (hole_number, section_number) has no polygon (or is null).
/// </summary>
public sealed record FixInSection(long Inside, long Outside, long NoPolygon)
{
    /// <summary>The share of fixes with a polygon that fall inside it (1 when none has one).</summary>
    public double Rate => Inside + Outside == 0 ? 1 : (double)Inside / (Inside + Outside);

    /// <summary>Streams the fixes of one snapshot's rows matching the filter against the course's sections.</summary>
    public static async Task<FixInSection> CountAsync(ILakeTable fixes, long snapshotId, RowFilter filter, SectionIndex sections, CancellationToken cancellationToken)
    {
        long inside = 0, outside = 0, none = 0;
        var scan = new TableScan { SnapshotId = snapshotId, Filter = filter, Columns = ["hole_number", "section_number", "longitude", "latitude"] };
        await foreach (var batch in fixes.ScanAsync(scan, cancellationToken))
        {
            var hole = (Int32Array)batch.Column("hole_number");
            var section = (Int32Array)batch.Column("section_number");
            var lon = (DoubleArray)batch.Column("longitude");
            var lat = (DoubleArray)batch.Column("latitude");
            for (var i = 0; i < batch.Length; i++)
            {
                if (hole.GetValue(i) is not { } h || section.GetValue(i) is not { } s || lon.GetValue(i) is not { } x || lat.GetValue(i) is not { } y)
                {
                    none++;
                    continue;
                }
                switch (sections.Locate(h, s, x, y))
                {
                    case SectionFix.Inside: inside++; break;
                    case SectionFix.Outside: outside++; break;
                    default: none++; break;
                }
            }
        }
        return new FixInSection(inside, outside, none);
    }
}
