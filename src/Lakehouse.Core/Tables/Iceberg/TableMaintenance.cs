using Lakehouse.Core.Tables.GeoParquet;
using Lakehouse.Core.Tables.Catalog;

namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>Table upkeep: compact small files, expire old snapshots, remove orphan files. Never deletes a file a retained snapshot references.</summary>
public sealed class TableMaintenance(ITableCatalog catalog)
{
    /// <summary>The default safety window for orphan removal: files younger than this may belong to a commit in flight.</summary>
    public static readonly TimeSpan DefaultOrphanAge = TimeSpan.FromDays(3);

    public async Task<CompactionReport> CompactAsync(TableIdentifier id, long targetFileSizeBytes, CancellationToken cancellationToken) =>
        await CompactAsync(await LoadAsync(id, cancellationToken), targetFileSizeBytes, cancellationToken);

    public async Task<ExpireSnapshotsReport> ExpireSnapshotsAsync(TableIdentifier id, int keepLast, DateTimeOffset olderThan, CancellationToken cancellationToken) =>
        await ExpireSnapshotsAsync(await LoadAsync(id, cancellationToken), keepLast, olderThan, cancellationToken);

    public async Task<OrphanFilesReport> RemoveOrphanFilesAsync(TableIdentifier id, TimeSpan? olderThan, CancellationToken cancellationToken) =>
        await RemoveOrphanFilesAsync(await LoadAsync(id, cancellationToken), olderThan, cancellationToken);

    /// <summary>Rewrites each partition's files smaller than the target into as few files as the target allows (operation=replace, same rows).</summary>
    public async Task<CompactionReport> CompactAsync(ILakeTable lakeTable, long targetFileSizeBytes, CancellationToken cancellationToken)
    {
        if (targetFileSizeBytes <= 0) throw new ArgumentOutOfRangeException(nameof(targetFileSizeBytes), "The target file size must be positive.");
        var table = Iceberg(lakeTable);
        var before = (0, 0L);
        long? snapshotId = null;
        long rows = 0;
        var partitions = 0;
        var metadata = await table.CommitAsync(async (current, written, ct) =>
        {
            snapshotId = null;
            rows = 0;
            partitions = 0;
            if (current.CurrentSnapshot is not { } snapshot) return null;
            var live = await TableFiles.LiveEntriesAsync(table.Store, table.TableKey, snapshot, ct);
            before = (live.Count, live.Sum(e => e.File.FileSizeInBytes));
            var groups = live.Where(e => e.File.FileSizeInBytes < targetFileSizeBytes)
                .GroupBy(e => e.File.Partition, PartitionComparer.Instance)
                .Where(g => g.Count() > 1)
                .ToList();
            if (groups.Count == 0) return null;
            var schema = current.CurrentSchema;
            var files = groups.SelectMany(g => g.Select(e => e.File)).ToList();
            using var writer = new PartitionedFileWriter(table.Store, table.Staging, table.TableKey, schema, current.DefaultSpec, targetFileSizeBytes)
                { Extension = GeoParquetFiles.For(current.Properties) };
            List<DataFileInfo> added;
            try
            {
                foreach (var group in groups)
                    rows += await FileRewriter.CopyAsync(table, schema, group.Select(e => e.File), null, writer, ct);
                added = (await writer.FinishAsync(ct)).ToList();
            }
            finally
            {
                written.AddRange(writer.Written.Select(f => MetadataFiles.KeyOf(table.Store, table.TableKey, f.Path)));
            }
            partitions = groups.Count;
            var producer = new SnapshotProducer(table.Store, table.TableKey, table.Clock);
            var produced = await producer.ProduceAsync(current, "replace", added, files.Select(f => f.Path).ToHashSet(), null, written, ct);
            snapshotId = produced.Snapshot.SnapshotId;
            return produced.Metadata;
        }, cancellationToken);
        var after = metadata.CurrentSnapshot is { } s ? await TableFiles.LiveEntriesAsync(table.Store, table.TableKey, s, cancellationToken) : [];
        return new CompactionReport(table.Id, snapshotId, before.Item1, after.Count, before.Item2, after.Sum(e => e.File.FileSizeInBytes), rows, partitions);
    }

    /// <summary>
    /// Drops snapshots older than <paramref name="olderThan"/> beyond the newest <paramref name="keepLast"/> (the current one always stays),
    /// then deletes the manifests, manifest lists and data files only expired snapshots referenced.
    /// </summary>
    public async Task<ExpireSnapshotsReport> ExpireSnapshotsAsync(ILakeTable lakeTable, int keepLast, DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        if (keepLast < 1) throw new ArgumentOutOfRangeException(nameof(keepLast), "At least the current snapshot is kept: keepLast must be 1 or more.");
        var table = Iceberg(lakeTable);
        var cutoffMs = olderThan.ToUnixTimeMilliseconds();
        List<SnapshotInfo> expired = [];
        var snapshotsBefore = 0;
        var metadata = await table.CommitAsync(async (current, _, _) =>
        {
            await Task.CompletedTask;
            snapshotsBefore = current.Snapshots.Count;
            var newest = current.Snapshots.OrderByDescending(s => s.SequenceNumber).Take(keepLast).Select(s => s.SnapshotId).ToHashSet();
            var keep = current.Snapshots.Where(s => s.SnapshotId == current.CurrentSnapshotId || newest.Contains(s.SnapshotId) || s.TimestampMs >= cutoffMs)
                .Select(s => s.SnapshotId).ToHashSet();
            expired = current.Snapshots.Where(s => !keep.Contains(s.SnapshotId)).ToList();
            if (expired.Count == 0) return null;
            return current with
            {
                Snapshots = current.Snapshots.Where(s => keep.Contains(s.SnapshotId)).ToList(),
                SnapshotLog = current.SnapshotLog.Where(e => keep.Contains(e.SnapshotId)).ToList(),
            };
        }, cancellationToken);

        var retained = new HashSet<string>();
        foreach (var snapshot in metadata.Snapshots)
            retained.UnionWith(await TableFiles.ReachableAsync(table.Store, table.TableKey, snapshot, cancellationToken));
        var candidates = new HashSet<string>();
        foreach (var snapshot in expired)
        {
            try
            {
                candidates.UnionWith(await TableFiles.ReachableAsync(table.Store, table.TableKey, snapshot, cancellationToken));
            }
            catch (Lakehouse.Core.Objects.ObjectNotFoundException)
            {
                // An earlier interrupted expiry already deleted part of it; orphan removal finds the rest.
            }
        }
        var filesBefore = retained.Union(candidates).Count();
        var deleted = 0;
        var bytes = 0L;
        foreach (var location in candidates.Where(c => !retained.Contains(c)))
        {
            var key = MetadataFiles.KeyOf(table.Store, table.TableKey, location);
            var info = await table.Store.StatAsync(key, cancellationToken);
            if (info is null) continue;
            await table.Store.DeleteAsync(key, cancellationToken);
            deleted++;
            bytes += info.Size;
        }
        return new ExpireSnapshotsReport(table.Id, snapshotsBefore, metadata.Snapshots.Count, filesBefore, retained.Count, deleted, bytes);
    }

    /// <summary>Deletes files under the table location that no snapshot or metadata file references and that are older than the safety window.</summary>
    public async Task<OrphanFilesReport> RemoveOrphanFilesAsync(ILakeTable lakeTable, TimeSpan? olderThan, CancellationToken cancellationToken)
    {
        var table = Iceberg(lakeTable);
        var window = olderThan ?? DefaultOrphanAge;
        var metadata = await table.RefreshAsync(cancellationToken);
        var reachable = new HashSet<string>(StringComparer.Ordinal) { table.MetadataLocation };
        reachable.UnionWith(metadata.MetadataLog.Select(e => e.MetadataFile));
        foreach (var snapshot in metadata.Snapshots)
            reachable.UnionWith(await TableFiles.ReachableAsync(table.Store, table.TableKey, snapshot, cancellationToken));
        var reachableKeys = reachable.Select(l => MetadataFiles.KeyOf(table.Store, table.TableKey, l)).ToHashSet(StringComparer.Ordinal);
        reachableKeys.Add($"{table.TableKey}/metadata/{MetadataFiles.VersionHintName}");
        var cutoff = table.Clock.GetUtcNow() - window;
        var before = 0;
        var deleted = new List<string>();
        var young = 0;
        var bytes = 0L;
        var objects = new List<Lakehouse.Core.Objects.ObjectInfo>();
        await foreach (var info in table.Store.ListAsync(table.TableKey + "/", cancellationToken)) objects.Add(info);
        foreach (var info in objects)
        {
            before++;
            if (reachableKeys.Contains(info.Key)) continue;
            if (info.LastModified > cutoff)
            {
                young++;
                continue;
            }
            await table.Store.DeleteAsync(info.Key, cancellationToken);
            deleted.Add(table.Store.LocationOf(info.Key));
            bytes += info.Size;
        }
        return new OrphanFilesReport(table.Id, before, before - deleted.Count, deleted.Count, young, bytes, deleted);
    }

    private async Task<ILakeTable> LoadAsync(TableIdentifier id, CancellationToken cancellationToken) =>
        await catalog.LoadAsync(id, cancellationToken) ?? throw new KeyNotFoundException($"Table {id} does not exist in the catalog.");

    private static IcebergTable Iceberg(ILakeTable table) =>
        table as IcebergTable ?? throw new ArgumentException($"Table {table.Id} is not an Iceberg table of this catalog.", nameof(table));
}
