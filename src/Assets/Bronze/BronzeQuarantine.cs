using Lakehouse.Core.Execution;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Partitions;
using Lakehouse.Core.Quality;

namespace TmLakehouse.Assets.Bronze;

/// <summary>Turns a failed Bronze check into a quarantine report (layer bronze) and the exception that fails the step.</summary>
internal static class BronzeQuarantine
{
    public static async Task<BronzeCheckException> ReportAsync(
        IObjectStoreProvider objects, TimeProvider clock, string runId, string courseId, DateOnly ingestDate,
        string filePath, BronzeCheckFailure failure, IReadOnlyDictionary<string, long>? reasonCounts, CancellationToken cancellationToken)
    {
        var partition = new PartitionKey(BronzePartitions.KeyOf(courseId, ingestDate));
        var report = new QuarantineReport
        {
            Layer = Layers.Bronze,
            Asset = BronzeRoundsRawAsset.Key.Value,
            Step = new StepKey(BronzeRoundsRawAsset.Key, partition).ToString(),
            RunId = runId,
            Partition = new Dictionary<string, string>
            {
                [BronzePartitions.CourseDimension] = courseId,
                [BronzePartitions.IngestDateDimension] = BronzePartitions.Format(ingestDate),
            },
            InputPaths = [filePath],
            StepFailed = true,
            Error = failure.Message,
            RowsIn = failure.RowsCounted,
            ReasonCounts = reasonCounts ?? new Dictionary<string, long> { [failure.Reason] = 1 },
            CreatedAt = clock.GetUtcNow(),
        };
        var key = await new QuarantineWriter(objects).WriteAsync(report, null, cancellationToken);
        return new BronzeCheckException(failure.Message, filePath, failure.Reason, key);
    }
}
