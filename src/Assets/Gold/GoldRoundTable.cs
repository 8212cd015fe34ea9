using Lakehouse.Core.Execution;
using Lakehouse.Core.Tables;

namespace TmLakehouse.Assets.Gold;

/// <summary>The shared body of the per-round Gold assets: aggregate the course's Silver rows, write one row per round, report.</summary>
internal static class GoldRoundTable
{
    public static async Task<MaterializeResult> MaterializeAsync(
        AssetExecutionContext context, TableDefinition definition, Action<GoldBatchBuilder, string, RoundFigures> appendRow, CancellationToken cancellationToken)
    {
        var started = context.Clock.GetTimestamp();
        var courseId = context.PartitionValue(GoldAssets.CourseDimension);
        var rounds = await CourseRounds.AggregateAsync(context.Resources.Tables, courseId, cancellationToken);

        await using var writer = await GoldCourseWriter.OpenAsync(context.Resources.Tables, definition, courseId, cancellationToken);
        foreach (var figures in rounds.Figures())
        {
            appendRow(writer.Row, courseId, figures);
            await writer.EndRowAsync(cancellationToken);
        }
        var commit = await writer.CommitAsync(cancellationToken);

        var duration = context.Clock.GetElapsedTime(started);
        var metadata = GoldMetadata.Of(writer.Table, commit, rounds.RowsIn, writer.RowsWritten, rounds.RoundCount, duration);
        metadata["duplicate_fixes"] = MetadataValue.Int(rounds.DuplicateFixes);
        var log = GoldMetadata.LogFor(context, courseId, writer.RowsWritten, duration);
        if (rounds.RowsIn == 0)
            log.Warning("Silver holds no row of course {CourseId}: {Table} now has no row for it", courseId, writer.Table.Id);
        log.Information("Wrote {RowsOut} row(s) of {Table} for course {CourseId} from {RowsIn} Silver row(s), snapshot {SnapshotId}",
            writer.RowsWritten, writer.Table.Id, courseId, rounds.RowsIn, commit.SnapshotId);
        if (rounds.DuplicateFixes > 0)
            log.Warning("{Duplicates} Silver fix(es) of course {CourseId} repeat a (round_id, location_index) seen in another ingest; they are counted as they are",
                rounds.DuplicateFixes, courseId);
        return new MaterializeResult { Metadata = metadata };
    }
}
