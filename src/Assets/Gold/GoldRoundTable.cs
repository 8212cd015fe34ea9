using Lakehouse.Core.Execution;
using Lakehouse.Core.Quality;
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
        var rounds = await CourseRounds.AggregateAsync(context.Resources.Tables, courseId, UniqueSilverFixes.RowsPerGroup, cancellationToken);

        await using var writer = await GoldCourseWriter.OpenAsync(context.Resources.Tables, definition, courseId, cancellationToken);
        long? latestFixMicros = null;
        foreach (var figures in rounds.Figures())
        {
            if (figures.RoundEndMicros is { } end && (latestFixMicros is null || end > latestFixMicros)) latestFixMicros = end;
            appendRow(writer.Row, courseId, figures);
            await writer.EndRowAsync(cancellationToken);
        }
        var commit = await writer.CommitAsync(context.SnapshotSummary, cancellationToken);

        var duration = context.Clock.GetElapsedTime(started);
        var metadata = GoldMetadata.Of(writer.Table, commit, rounds.Report, writer.RowsWritten, rounds.RoundCount, duration);
        var log = GoldMetadata.LogFor(context, courseId, writer.RowsWritten, duration);
        if (rounds.Report.RowsIn == 0)
            log.Warning("Silver holds no row of course {CourseId}: {Table} now has no row for it", courseId, writer.Table.Id);
        log.Information("Wrote {RowsOut} row(s) of {Table} for course {CourseId} from {RowsIn} Silver row(s), snapshot {SnapshotId}",
            writer.RowsWritten, writer.Table.Id, courseId, rounds.Report.RowsIn, commit.SnapshotId);
        GoldMetadata.LogResolved(log, courseId, rounds.Report);
        if (latestFixMicros is { } latest)
            metadata["latest_fix_at"] = MetadataValue.Text(DateTimeOffset.FromUnixTimeMilliseconds(latest / 1000).ToString("O"));
        return new MaterializeResult { Metadata = metadata, CheckResults = [Freshness(context, courseId, latestFixMicros)] };
    }

    /// <summary>How old a course's data may get before the freshness check warns (a course plays every day in season).</summary>
    public static TimeSpan FreshnessLimit { get; } = TimeSpan.FromDays(2);

    /// <summary>Warns (never blocks) when the course's newest fix is older than the limit, or when it has no timed fix at all.</summary>
    private static AssetCheckResult Freshness(AssetExecutionContext context, string courseId, long? latestFixMicros)
    {
        var now = context.Clock.GetUtcNow();
        var latest = latestFixMicros is { } micros ? DateTimeOffset.FromUnixTimeMilliseconds(micros / 1000) : (DateTimeOffset?)null;
        var fresh = latest is { } l && now - l <= FreshnessLimit;
        return new AssetCheckResult("freshness", fresh, AssetCheckSeverity.Warn, Blocking: false)
        {
            Description = latest is null
                ? $"course {courseId} has no timestamped fix"
                : $"course {courseId}: newest fix {latest:yyyy-MM-dd HH:mm} UTC is {(now - latest.Value).TotalDays:0.#} day(s) old (limit {FreshnessLimit.TotalDays:0} days)",
            Metadata = new Dictionary<string, MetadataValue> { ["limit_days"] = MetadataValue.Float(FreshnessLimit.TotalDays) },
        };
    }
}
