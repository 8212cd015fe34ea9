using System.Globalization;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Objects;

namespace TmLakehouse.Assets.Bronze;

/// <summary>
/// Lands one export file in the bronze bucket, byte for byte, at <c>course_id=&lt;id&gt;/ingest_date=&lt;d&gt;/&lt;file&gt;</c>:
/// cheap checks, SHA-256, a ledger row, the object (carrying the ledger id) and the partition keys. The CLI calls it, then launches a run.
/// </summary>
/// <remarks>
/// Order: the ledger row is added first (its id goes into the object's metadata), then the object is put. If the put fails the row
/// is deleted again, so the ledger never claims a file that is not there. A process killed between the two can still leave a row
/// without its object; such a row is only trusted when its object exists with its ledger id, so the next landing of the same file
/// removes the stale row and lands the file again instead of calling it a no-op.
/// </remarks>
public sealed class BronzeLanding(LakehouseResources resources, TimeProvider clock)
{
    private IObjectStore Store => resources.Objects.For(Layers.Bronze);

    /// <summary>Recorded in each ledger row this landing adds (none: a file landed by code, not by a user or a manifest).</summary>
    public LandingOrigin? Origin { get; init; }
    private ILedgerStore Ledger => resources.Instance.Ledger;

    /// <summary>
    /// Lands <paramref name="localFile"/> for a course and ingest date. Returns a no-op result when the same content already landed in
    /// that partition. Throws <see cref="BronzeCheckException"/> (after writing a quarantine report) when a cheap check fails.
    /// </summary>
    public async Task<LandingResult> LandAsync(string localFile, string courseId, DateOnly ingestDate, string runId, CancellationToken cancellationToken = default)
    {
        BronzePartitions.ValidateCourseId(courseId);
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        var path = Path.GetFullPath(localFile);
        var key = BronzePartitions.FolderOf(courseId, ingestDate) + Path.GetFileName(path);
        var partition = BronzePartitions.KeyOf(courseId, ingestDate);

        var before = StampOf(path);
        var (rows, failure) = await BronzeFileChecks.InspectAsync(path, cancellationToken);
        if (failure is not null) throw await FailAsync(failure);

        var sha256 = await FileHashing.Sha256OfFileAsync(path, cancellationToken);

        var existing = await Ledger.FindAsync(partition, sha256, cancellationToken);
        if (existing is not null)
        {
            if (await IsInPlaceAsync(existing, cancellationToken))
            {
                await RegisterPartitionAsync(courseId, partition, cancellationToken);
                return new LandingResult(true, existing, Store.LocationOf(existing.Key));
            }
            await Ledger.DeleteAsync(existing.Id, cancellationToken);
        }

        foreach (var sameName in (await Ledger.ListAsync(partition, cancellationToken)).Where(e => e.Key == key))
        {
            if (!await IsInPlaceAsync(sameName, cancellationToken))
            {
                await Ledger.DeleteAsync(sameName.Id, cancellationToken);
                continue;
            }
            // Bronze is the untouched record of what arrived: a corrected export must not silently replace the original.
            throw await FailAsync(new BronzeCheckFailure("name_taken",
                $"{path}: a different file with this name already landed in {partition} (ledger id {sameName.Id}, sha256 {sameName.Sha256}); " +
                "land the new export under another file name or ingest date", rows));
        }

        var entry = new LedgerEntry(key, partition, before.Length, sha256, runId, rows, clock.GetUtcNow())
        {
            Layer = Layers.Bronze,
            Format = BronzeFileChecks.IsJson(path) ? LedgerFormats.Json : LedgerFormats.Csv,
            BatchId = Origin?.BatchId,
            Uploader = Origin?.Uploader,
            Intent = Origin?.Intent,
            Metadata = Origin?.Metadata ?? "{}",
        };
        entry = entry with { Id = await Ledger.AddAsync(entry, cancellationToken) };
        try
        {
            var metadata = new Dictionary<string, string>
            {
                [BronzeObjectMetadata.LedgerId] = entry.Id.ToString(CultureInfo.InvariantCulture),
                [BronzeObjectMetadata.Sha256] = sha256,
            };
            await Store.PutFileAsync(key, path, metadata, cancellationToken);
            if (StampOf(path) != before)
            {
                await Store.DeleteAsync(key, CancellationToken.None);
                throw new IOException($"{path}: the file changed while it was landing; nothing was landed, land it again once it is complete.");
            }
        }
        catch
        {
            await Ledger.DeleteAsync(entry.Id, CancellationToken.None);
            throw;
        }

        await RegisterPartitionAsync(courseId, partition, cancellationToken);
        return new LandingResult(false, entry, Store.LocationOf(key));

        Task<BronzeCheckException> FailAsync(BronzeCheckFailure f) =>
            BronzeQuarantine.ReportAsync(resources.Objects, clock, runId, courseId, ingestDate, path, f, null, cancellationToken);
    }

    /// <summary>Size and last write time, to notice a file still being written while it lands.</summary>
    private static (long Length, DateTime LastWriteUtc) StampOf(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? (info.Length, info.LastWriteTimeUtc) : (-1, DateTime.MinValue);
    }

    /// <summary>True when the entry's object exists with the entry's size and ledger id.</summary>
    internal static async Task<bool> IsInPlaceAsync(IObjectStore store, LedgerEntry entry, CancellationToken cancellationToken)
    {
        var info = await store.StatAsync(entry.Key, cancellationToken);
        return info is not null && info.Size == entry.Size &&
               info.Metadata.TryGetValue(BronzeObjectMetadata.LedgerId, out var id) &&
               id == entry.Id.ToString(CultureInfo.InvariantCulture);
    }

    private Task<bool> IsInPlaceAsync(LedgerEntry entry, CancellationToken cancellationToken) => IsInPlaceAsync(Store, entry, cancellationToken);

    /// <summary>Also done on a no-op, so a landing interrupted after its put still ends with its partition registered.</summary>
    private async Task RegisterPartitionAsync(string courseId, string partition, CancellationToken cancellationToken)
    {
        await resources.Instance.Partitions.AddDynamicPartitionKeysAsync(BronzePartitions.Name, [partition], cancellationToken);
        await resources.Instance.Partitions.AddDynamicPartitionKeysAsync(BronzePartitions.CoursesName, [courseId], cancellationToken);
    }
}
