using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Objects;

namespace TmLakehouse.Assets.Bronze;

/// <summary>
/// <c>bronze/rounds_raw</c> (course_id × ingest_date): the files landed by <see cref="BronzeLanding"/>. Materializing a partition
/// re-verifies each landed object (there, carrying its ledger id, same SHA-256 as its ledger row) and reports what the partition holds.
/// </summary>
public sealed class BronzeRoundsRawAsset : IAsset
{
    public static AssetKey Key { get; } = new("bronze/rounds_raw");

    public static AssetDefinition Definition { get; } = new(
        new AssetSpec(Key)
        {
            Description = "Round exports as landed, byte for byte, one folder per course and ingest date; hashes in the ledger.",
            Partitions = BronzePartitions.CourseByIngestDate,
            Storage = BronzePartitions.Storage,
        },
        new BronzeRoundsRawAsset());

    public async Task<MaterializeResult> MaterializeAsync(AssetExecutionContext context, CancellationToken cancellationToken)
    {
        var started = context.Clock.GetTimestamp();
        var courseId = context.PartitionValue(BronzePartitions.CourseDimension);
        var ingestDate = BronzePartitions.ParseIngestDate(context.PartitionValue(BronzePartitions.IngestDateDimension));
        var partition = BronzePartitions.KeyOf(courseId, ingestDate);
        var store = context.Resources.Objects.For(Layers.Bronze);

        var entries = (await context.Resources.Instance.Ledger.ListAsync(partition, cancellationToken)).OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        var folder = store.LocationOf(BronzePartitions.FolderOf(courseId, ingestDate).TrimEnd('/')) + "/";
        if (entries.Count == 0)
            throw await FailAsync(folder, new BronzeCheckFailure("nothing_landed",
                $"{folder}: no file has landed for {partition}; land one with `tmlake land` first"), null);

        var problems = new List<(string Reason, string Location, string Message)>();
        foreach (var entry in entries)
        {
            var location = store.LocationOf(entry.Key);
            if (await store.StatAsync(entry.Key, cancellationToken) is null)
            {
                problems.Add(("missing_object", location, $"{location}: the landed file is missing (ledger id {entry.Id})"));
                continue;
            }
            if (!await BronzeLanding.IsInPlaceAsync(store, entry, cancellationToken))
            {
                problems.Add(("ledger_mismatch", location, $"{location}: size or ledger id differ from ledger row {entry.Id}"));
                continue;
            }
            string actual;
            await using (var content = await store.OpenReadAsync(entry.Key, cancellationToken))
                actual = await FileHashing.Sha256Async(content, cancellationToken);
            if (actual != entry.Sha256)
                problems.Add(("hash_mismatch", location, $"{location}: sha256 is {actual} but ledger row {entry.Id} says {entry.Sha256}"));
        }

        if (problems.Count > 0)
        {
            var first = problems[0];
            var more = problems.Count > 1 ? $" (and {problems.Count - 1} more problem(s))" : "";
            var counts = problems.GroupBy(p => p.Reason).ToDictionary(g => g.Key, g => (long)g.Count());
            throw await FailAsync(first.Location, new BronzeCheckFailure(first.Reason, first.Message + more), counts);
        }

        var duration = context.Clock.GetElapsedTime(started);
        context.Log
            .ForContext("course_id", courseId)
            .ForContext("ingest_date", BronzePartitions.Format(ingestDate))
            .ForContext("row_count", entries.Sum(e => e.RowCount))
            .ForContext("duration_ms", (long)duration.TotalMilliseconds)
            .Information("Verified {Files} landed file(s) of {Partition}", entries.Count, partition);
        return new MaterializeResult
        {
            Metadata = new Dictionary<string, MetadataValue>
            {
                ["files"] = MetadataValue.Int(entries.Count),
                ["bytes"] = MetadataValue.Int(entries.Sum(e => e.Size)),
                ["rows"] = MetadataValue.Int(entries.Sum(e => e.RowCount)),
                ["sha256"] = MetadataValue.Json(entries.Select(e => e.Sha256).ToList()),
                ["ledger_ids"] = MetadataValue.Json(entries.Select(e => e.Id).ToList()),
                ["keys"] = MetadataValue.Json(entries.Select(e => e.Key).ToList()),
                ["location"] = MetadataValue.Path(folder),
                ["duration_ms"] = MetadataValue.Int((long)duration.TotalMilliseconds),
            },
        };

        Task<BronzeCheckException> FailAsync(string file, BronzeCheckFailure failure, IReadOnlyDictionary<string, long>? counts) =>
            BronzeQuarantine.ReportAsync(context.Resources.Objects, context.Clock, context.RunId, courseId, ingestDate, file, failure, counts, cancellationToken);
    }
}
