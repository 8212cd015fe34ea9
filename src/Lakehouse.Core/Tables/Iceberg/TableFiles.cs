using Lakehouse.Core.Objects;

namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>Reads a snapshot's manifest list, manifests and live data files from the object store.</summary>
internal static class TableFiles
{
    public static async Task<IReadOnlyList<ManifestFileInfo>> ReadManifestListAsync(IObjectStore store, string tableKey, string location, CancellationToken cancellationToken) =>
        ManifestAvro.ReadManifestList(await MetadataFiles.ReadBytesAsync(store, MetadataFiles.KeyOf(store, tableKey, location), cancellationToken), location);

    public static async Task<IReadOnlyList<ManifestEntry>> ReadManifestAsync(IObjectStore store, string tableKey, ManifestFileInfo manifest, CancellationToken cancellationToken) =>
        ManifestAvro.ReadManifest(await MetadataFiles.ReadBytesAsync(store, MetadataFiles.KeyOf(store, tableKey, manifest.Path), cancellationToken), manifest);

    /// <summary>The live (added or existing) entries of a snapshot.</summary>
    public static async Task<IReadOnlyList<ManifestEntry>> LiveEntriesAsync(IObjectStore store, string tableKey, SnapshotInfo snapshot, CancellationToken cancellationToken)
    {
        var result = new List<ManifestEntry>();
        foreach (var manifest in await ReadManifestListAsync(store, tableKey, snapshot.ManifestList, cancellationToken))
        {
            if (manifest.AddedFiles + manifest.ExistingFiles == 0) continue;
            result.AddRange((await ReadManifestAsync(store, tableKey, manifest, cancellationToken)).Where(e => e.Status != EntryStatus.Deleted));
        }
        return result;
    }

    /// <summary>Every file a snapshot needs: its manifest list, its manifests and its live data files (as locations).</summary>
    public static async Task<IReadOnlySet<string>> ReachableAsync(IObjectStore store, string tableKey, SnapshotInfo snapshot, CancellationToken cancellationToken)
    {
        var result = new HashSet<string> { snapshot.ManifestList };
        foreach (var manifest in await ReadManifestListAsync(store, tableKey, snapshot.ManifestList, cancellationToken))
        {
            result.Add(manifest.Path);
            if (manifest.AddedFiles + manifest.ExistingFiles == 0) continue;
            foreach (var entry in await ReadManifestAsync(store, tableKey, manifest, cancellationToken))
                if (entry.Status != EntryStatus.Deleted) result.Add(entry.File.Path);
        }
        return result;
    }
}
