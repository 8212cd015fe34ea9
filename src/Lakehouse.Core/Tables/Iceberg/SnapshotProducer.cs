using System.Globalization;
using System.Security.Cryptography;
using Lakehouse.Core.Objects;

namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>
/// Writes the manifests and manifest list of a new snapshot: added files in a new manifest (status ADDED); every manifest
/// holding a removed file rewritten (removed → DELETED, the rest EXISTING with their original ids and sequence numbers);
/// other manifests carried over unchanged.
/// </summary>
internal sealed class SnapshotProducer(IObjectStore store, string tableKey, TimeProvider clock)
{
    public async Task<ProducedSnapshot> ProduceAsync(
        TableMetadata current, string operation, IReadOnlyList<DataFileInfo> added, IReadOnlySet<string> deleted,
        IReadOnlyDictionary<string, string>? extraSummary, List<string> writtenKeys, CancellationToken cancellationToken)
    {
        var snapshotId = NewSnapshotId(current);
        var sequence = current.LastSequenceNumber + 1;
        var schema = current.CurrentSchema;
        var spec = current.DefaultSpec;
        var nowMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var parent = current.CurrentSnapshot;
        var manifests = new List<ManifestFileInfo>();
        var deletedRows = 0L;
        var deletedBytes = 0L;
        var found = new HashSet<string>();

        if (added.Count > 0)
        {
            var entries = added.Select(f => new ManifestEntry(EntryStatus.Added, snapshotId, sequence, sequence, f)).ToList();
            manifests.Add(await WriteManifestAsync(entries, schema, spec, snapshotId, sequence, writtenKeys, cancellationToken));
        }

        if (parent is not null)
        {
            foreach (var manifest in await TableFiles.ReadManifestListAsync(store, tableKey, parent.ManifestList, cancellationToken))
            {
                if (manifest.AddedFiles + manifest.ExistingFiles == 0) continue;
                if (deleted.Count == 0)
                {
                    manifests.Add(manifest);
                    continue;
                }
                var entries = await TableFiles.ReadManifestAsync(store, tableKey, manifest, cancellationToken);
                var live = entries.Where(e => e.Status != EntryStatus.Deleted).ToList();
                if (!live.Any(e => deleted.Contains(e.File.Path)))
                {
                    manifests.Add(manifest);
                    continue;
                }
                var rewritten = live.Select(e =>
                {
                    if (!deleted.Contains(e.File.Path)) return e with { Status = EntryStatus.Existing };
                    found.Add(e.File.Path);
                    deletedRows += e.File.RecordCount;
                    deletedBytes += e.File.FileSizeInBytes;
                    return e with { Status = EntryStatus.Deleted, SnapshotId = snapshotId };
                }).ToList();
                manifests.Add(await WriteManifestAsync(rewritten, schema, spec, snapshotId, sequence, writtenKeys, cancellationToken));
            }
        }
        var missing = deleted.Where(p => !found.Contains(p)).ToList();
        if (missing.Count > 0) throw new CommitConflictException($"{missing.Count} file(s) to remove are no longer in the table, e.g. {missing[0]}.");

        var listKey = $"{tableKey}/metadata/snap-{snapshotId}-1-{Guid.NewGuid()}.avro";
        await PutAsync(listKey, ManifestAvro.WriteManifestList(manifests, snapshotId, parent?.SnapshotId, sequence), writtenKeys, cancellationToken);

        var addedRows = added.Sum(f => f.RecordCount);
        var addedBytes = added.Sum(f => f.FileSizeInBytes);
        var previous = parent?.Summary ?? new Dictionary<string, string>();
        long Total(string key) => previous.TryGetValue(key, out var v) && long.TryParse(v, CultureInfo.InvariantCulture, out var n) ? n : 0;
        string S(long v) => v.ToString(CultureInfo.InvariantCulture);
        var summary = new Dictionary<string, string> { ["operation"] = operation };
        if (extraSummary is not null) foreach (var (k, v) in extraSummary) summary[k] = v;
        summary["added-data-files"] = S(added.Count);
        summary["added-records"] = S(addedRows);
        summary["added-files-size"] = S(addedBytes);
        summary["deleted-data-files"] = S(deleted.Count);
        summary["deleted-records"] = S(deletedRows);
        summary["removed-files-size"] = S(deletedBytes);
        summary["changed-partition-count"] = S(added.Select(f => PartitionKey(f.Partition)).Distinct().Count());
        summary["total-records"] = S(Total("total-records") + addedRows - deletedRows);
        summary["total-data-files"] = S(Total("total-data-files") + added.Count - deleted.Count);
        summary["total-files-size"] = S(Total("total-files-size") + addedBytes - deletedBytes);
        summary["total-delete-files"] = "0";
        summary["total-position-deletes"] = "0";
        summary["total-equality-deletes"] = "0";

        var snapshot = new SnapshotInfo(snapshotId, parent?.SnapshotId, sequence, nowMs, store.LocationOf(listKey), schema.SchemaId, summary);
        var metadata = current with
        {
            LastSequenceNumber = sequence,
            LastUpdatedMs = nowMs,
            CurrentSnapshotId = snapshotId,
            Snapshots = current.Snapshots.Append(snapshot).ToList(),
            SnapshotLog = current.SnapshotLog.Append(new SnapshotLogEntry(nowMs, snapshotId)).ToList(),
        };
        return new ProducedSnapshot(metadata, snapshot, addedRows, deletedRows, added.Count, deleted.Count, addedBytes);
    }

    private static string PartitionKey(object?[] partition) => string.Join('\u0001', partition.Select(v => v switch
    {
        null => "\u0000",
        byte[] b => Convert.ToHexString(b),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString(),
    }));

    /// <summary>A random positive id below 2^53: JavaScript clients of the REST catalog (iceberg-js) parse ids as doubles, and
    /// a larger id would come back rounded to another snapshot's id, so their commits' requirements could never hold.</summary>
    private static long NewSnapshotId(TableMetadata current)
    {
        while (true)
        {
            var id = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8)) & ((1L << 53) - 1);
            if (id != 0 && current.Snapshots.All(s => s.SnapshotId != id)) return id;
        }
    }

    private async Task<ManifestFileInfo> WriteManifestAsync(
        IReadOnlyList<ManifestEntry> entries, IcebergSchema schema, PartitionSpec spec, long snapshotId, long sequence,
        List<string> writtenKeys, CancellationToken cancellationToken)
    {
        var key = $"{tableKey}/metadata/{Guid.NewGuid()}-m0.avro";
        var bytes = ManifestAvro.WriteManifest(entries, schema, spec);
        await PutAsync(key, bytes, writtenKeys, cancellationToken);
        var live = entries.Where(e => e.Status != EntryStatus.Deleted).ToList();
        return new ManifestFileInfo(
            store.LocationOf(key), bytes.Length, spec.SpecId, sequence,
            live.Count == 0 ? sequence : live.Min(e => e.Status == EntryStatus.Added ? sequence : e.SequenceNumber),
            snapshotId,
            entries.Count(e => e.Status == EntryStatus.Added), entries.Count(e => e.Status == EntryStatus.Existing), entries.Count(e => e.Status == EntryStatus.Deleted),
            entries.Where(e => e.Status == EntryStatus.Added).Sum(e => e.File.RecordCount),
            entries.Where(e => e.Status == EntryStatus.Existing).Sum(e => e.File.RecordCount),
            entries.Where(e => e.Status == EntryStatus.Deleted).Sum(e => e.File.RecordCount),
            Summaries(entries, spec, schema));
    }

    private static List<PartitionFieldSummary> Summaries(IReadOnlyList<ManifestEntry> entries, PartitionSpec spec, IcebergSchema schema)
    {
        var result = new List<PartitionFieldSummary>();
        for (var p = 0; p < spec.Fields.Count; p++)
        {
            var type = spec.Fields[p].ResultType(schema.Fields);
            var values = entries.Select(e => e.File.Partition[p]).ToList();
            var present = values.Where(v => v is not null).Cast<object>().ToList();
            object? min = null, max = null;
            foreach (var v in present)
            {
                if (min is null || IcebergValues.Compare(v, min) < 0) min = v;
                if (max is null || IcebergValues.Compare(v, max) > 0) max = v;
            }
            result.Add(new PartitionFieldSummary(values.Any(v => v is null),
                min is null ? null : IcebergValues.Encode(type, min), max is null ? null : IcebergValues.Encode(type, max)));
        }
        return result;
    }

    private async Task PutAsync(string key, byte[] bytes, List<string> writtenKeys, CancellationToken cancellationToken)
    {
        writtenKeys.Add(key);
        using var content = new MemoryStream(bytes);
        await store.PutAsync(key, content, null, cancellationToken);
    }
}
