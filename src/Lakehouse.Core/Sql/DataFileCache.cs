using System.Security.Cryptography;
using System.Text;
using Lakehouse.Core.Objects;

namespace Lakehouse.Core.Sql;

/// <summary>
/// Local copies of remote data files for DuckDB, which reads only local files here (its httpfs extension would be downloaded
/// at run time). Iceberg data files never change once written, so a copy named after its location stays valid. The folder is
/// kept under a byte budget by deleting the least recently used copies the current query does not need; files are streamed
/// to disk, never held in memory.
/// </summary>
internal sealed class DataFileCache(string folder, long capacityBytes)
{
    public string Folder { get; } = folder;

    /// <summary>The local path of each remote file (downloaded when missing), in the order given.</summary>
    public async Task<IReadOnlyList<string>> StageAsync(IReadOnlyList<RemoteFile> files, CancellationToken cancellationToken)
    {
        var needed = files.Sum(f => f.Size);
        if (needed > capacityBytes)
            throw new LakeSqlException(
                $"The query reads {Mb(needed)} MB of data files from S3, more than the local cache may hold ({Mb(capacityBytes)} MB): raise TM_QUERY_CACHE_MB or filter on fewer tables.");
        Directory.CreateDirectory(Folder);
        var paths = files.Select(f => Path.Combine(Folder, NameOf(f.Location))).ToList();
        MakeRoom(paths.ToHashSet(StringComparer.Ordinal), needed);
        for (var i = 0; i < files.Count; i++)
        {
            var path = paths[i];
            var info = new FileInfo(path);
            if (info.Exists && info.Length == files[i].Size)
            {
                File.SetLastAccessTimeUtc(path, DateTime.UtcNow);
                continue;
            }
            var temp = $"{path}.{Guid.NewGuid():N}.part";
            try
            {
                await using (var source = await files[i].Store.OpenReadAsync(files[i].Key, cancellationToken))
                await using (var target = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                    await source.CopyToAsync(target, cancellationToken);
                File.Move(temp, path, overwrite: true);
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
        }
        return paths;
    }

    private void MakeRoom(HashSet<string> keep, long needed)
    {
        var others = new DirectoryInfo(Folder).EnumerateFiles("*.parquet").Where(f => !keep.Contains(f.FullName)).OrderBy(f => f.LastAccessTimeUtc).ToList();
        var used = others.Sum(f => f.Length);
        foreach (var file in others)
        {
            if (used + needed <= capacityBytes) break;
            used -= file.Length;
            try
            {
                file.Delete();
            }
            catch (IOException)
            {
                // In use by another query; it stays, and the budget is exceeded for a while.
            }
        }
    }

    private static string NameOf(string location) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(location)))[..40] + ".parquet";

    private static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A data file to stage: its store, key, location and exact size (from the manifest).</summary>
internal sealed record RemoteFile(IObjectStore Store, string Key, string Location, long Size);
