using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Lakehouse.Core.Objects;

/// <summary>
/// A bucket as a folder. Puts write a temporary file and rename it into place, so readers never see a partial object.
/// Metadata lives beside the object in a hidden <c>.meta/&lt;key&gt;.json</c> file.
/// </summary>
public sealed class LocalObjectStore : IObjectStore
{
    private const string MetaFolder = ".meta";
    private readonly string _root;

    public LocalObjectStore(string root, string bucket)
    {
        Bucket = bucket;
        _root = Path.GetFullPath(Path.Combine(root, bucket));
        Directory.CreateDirectory(_root);
    }

    public string Bucket { get; }

    public string LocationOf(string key) => new Uri(PathOf(key)).AbsoluteUri;

    /// <summary>The local file path of a key (local mode only; other engines read it directly).</summary>
    public string PathOf(string key)
    {
        ValidateKey(key);
        return Path.Combine(_root, key.Replace('/', Path.DirectorySeparatorChar));
    }

    public Task PutAsync(string key, Stream content, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken) =>
        PlaceAsync(key, async temp =>
        {
            // Written synchronously: on Linux an asynchronous file write is the same write queued to the thread pool, a hop per
            // buffer, which cost a trivial step's summary more than the write itself. The source is still read asynchronously.
            await using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: false);
            await content.CopyToAsync(file, cancellationToken);
        }, metadata, cancellationToken);

    public async Task PutFileAsync(string key, string localPath, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        await using var source = new FileStream(localPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        await PutAsync(key, source, metadata, cancellationToken);
    }

    // Copying a Silver data file from staging cost more than writing it (360 shuffled days: ~10% of the step's CPU); on another
    // filesystem File.Move copies, which is still atomic for readers since the copy lands under the temporary name.
    public Task MoveFileAsync(string key, string localPath, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken) =>
        PlaceAsync(key, temp =>
        {
            File.Move(localPath, temp);
            return Task.CompletedTask;
        }, metadata, cancellationToken);

    /// <summary>
    /// The one way an object appears: <paramref name="fill"/> creates it beside the target under a name listings skip, the
    /// metadata is written, then a rename in the same folder puts it in place, so readers see the old object or the new one.
    /// </summary>
    private async Task PlaceAsync(string key, Func<string, Task> fill, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        var target = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = target + $".{Guid.NewGuid():N}.tmp";
        try
        {
            await fill(temp);
            await WriteMetadataAsync(key, metadata, cancellationToken);
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        if (!File.Exists(path)) throw new ObjectNotFoundException(LocationOf(key));
        return Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, useAsync: true));
    }

    public async Task<ObjectInfo?> StatAsync(string key, CancellationToken cancellationToken)
    {
        var file = new FileInfo(PathOf(key));
        if (!file.Exists) return null;
        return new ObjectInfo(key, file.Length, file.LastWriteTimeUtc) { Metadata = await ReadMetadataAsync(key, cancellationToken) };
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!Directory.Exists(_root)) yield break;
        var keys = Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(_root, p).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(k => !k.StartsWith(MetaFolder + "/", StringComparison.Ordinal) && !k.EndsWith(".tmp", StringComparison.Ordinal))
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var info = await StatAsync(key, cancellationToken);
            if (info is not null) yield return info;
        }
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        DeleteIfPresent(PathOf(key));
        DeleteIfPresent(MetaPathOf(key));
        return Task.CompletedTask;
    }

    // File.Delete tolerates a missing file but not a missing folder, and a key's folders may never have existed.
    private static void DeleteIfPresent(string path)
    {
        if (File.Exists(path)) File.Delete(path);
    }

    private string MetaPathOf(string key) => Path.Combine(_root, MetaFolder, key.Replace('/', Path.DirectorySeparatorChar) + ".json");

    private async Task WriteMetadataAsync(string key, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        var metaPath = MetaPathOf(key);
        if (metadata is null || metadata.Count == 0)
        {
            DeleteIfPresent(metaPath);
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(metaPath)!);
        await File.WriteAllTextAsync(metaPath, JsonSerializer.Serialize(metadata), cancellationToken);
    }

    private async Task<IReadOnlyDictionary<string, string>> ReadMetadataAsync(string key, CancellationToken cancellationToken)
    {
        var metaPath = MetaPathOf(key);
        if (!File.Exists(metaPath)) return new Dictionary<string, string>();
        return JsonSerializer.Deserialize<Dictionary<string, string>>(await File.ReadAllTextAsync(metaPath, cancellationToken)) ?? [];
    }

    private static void ValidateKey(string key)
    {
        if (string.IsNullOrEmpty(key) || key.StartsWith('/') || key.Split('/').Any(p => p is "" or "." or ".."))
            throw new ArgumentException($"'{key}' is not a valid object key.", nameof(key));
    }
}
