namespace Lakehouse.Core.Objects;

/// <summary>
/// One bucket of bytes (a folder locally, an S3 bucket otherwise). Keys use '/' separators. A put is atomic:
/// readers see the old object or the new one, never a part.
/// </summary>
public interface IObjectStore
{
    /// <summary>The bucket (or folder) name.</summary>
    string Bucket { get; }

    /// <summary>The absolute location of a key as other engines name it: <c>file:///...</c> or <c>s3://bucket/key</c>.</summary>
    string LocationOf(string key);

    /// <summary>Writes the stream (read to its end) as the object; metadata is stored with it.</summary>
    Task PutAsync(string key, Stream content, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken);

    /// <summary>Uploads a local file; large files go up in parts.</summary>
    Task PutFileAsync(string key, string localPath, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken);

    /// <summary>
    /// Puts a local file its caller is done with (a file it wrote in staging): the file is gone afterwards. The local store
    /// renames it into place instead of copying it; elsewhere it is uploaded, then deleted.
    /// </summary>
    async Task MoveFileAsync(string key, string localPath, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        await PutFileAsync(key, localPath, metadata, cancellationToken);
        File.Delete(localPath);
    }

    /// <summary>Opens the object for streaming reads. Throws <see cref="ObjectNotFoundException"/> when missing.</summary>
    Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>Null when missing.</summary>
    Task<ObjectInfo?> StatAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Every object whose key starts with the prefix, in key order. S3 listings carry no user metadata, so listed
    /// items may have empty <see cref="ObjectInfo.Metadata"/>: use <see cref="StatAsync"/> for it.
    /// </summary>
    IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Deletes the object; deleting a missing object is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);
}
