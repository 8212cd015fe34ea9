using System.Globalization;
using System.Text;
using Lakehouse.Core.Objects;

namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>Names, writes and reads a table's files under its location: metadata JSON, version hint, and location ↔ key.</summary>
internal static class MetadataFiles
{
    public const string VersionHintName = "version-hint.text";

    /// <summary>Writes <c>&lt;table&gt;/metadata/%05d-&lt;uuid&gt;.metadata.json</c> and returns its location.</summary>
    public static async Task<string> WriteBytesAsync(IObjectStore store, string tableKey, int version, byte[] metadataJson, CancellationToken cancellationToken)
    {
        var key = $"{tableKey}/metadata/{version.ToString("D5", CultureInfo.InvariantCulture)}-{Guid.NewGuid()}.metadata.json";
        using var content = new MemoryStream(metadataJson);
        await store.PutAsync(key, content, null, cancellationToken);
        return store.LocationOf(key);
    }

    public static async Task<byte[]> ReadBytesAsync(IObjectStore store, string key, CancellationToken cancellationToken)
    {
        await using var stream = await store.OpenReadAsync(key, cancellationToken);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    /// <summary>The version number in a metadata file name (<c>00012-uuid.metadata.json</c> → 12).</summary>
    public static int VersionOf(string location)
    {
        var name = location[(location.LastIndexOf('/') + 1)..];
        var dash = name.IndexOf('-');
        return dash > 0 && int.TryParse(name[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new InvalidDataException($"Metadata file {location} is not named NNNNN-<uuid>.metadata.json.");
    }

    public static async Task WriteVersionHintAsync(IObjectStore store, string tableKey, int version, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream(Encoding.ASCII.GetBytes(version.ToString(CultureInfo.InvariantCulture)));
        await store.PutAsync($"{tableKey}/metadata/{VersionHintName}", content, null, cancellationToken);
    }

    /// <summary>The key prefix of a table location in its store (<c>s3://tm-silver/events</c> → <c>events</c>).</summary>
    public static string TableKeyOf(IObjectStore store, string tableLocation) => KeyOfLocation(store, tableLocation.TrimEnd('/'));

    /// <summary>The key of any location inside the store; a location elsewhere is refused, naming the store.</summary>
    public static string KeyOfLocation(IObjectStore store, string location)
    {
        // LocationOf is the only map from keys to locations a store offers; the root is what it puts before a key.
        var root = store.LocationOf("k")[..^1];
        if (!location.StartsWith(root, StringComparison.Ordinal) || location.Length == root.Length)
            throw new InvalidDataException(
                $"Location {location} is not inside the bucket {store.Bucket} ({root}); this lakehouse reads and writes tables only in its own buckets.");
        return Uri.UnescapeDataString(location[root.Length..]);
    }

    /// <summary>The object key of a location under the table (every file of a table lives under its location).</summary>
    public static string KeyOf(IObjectStore store, string tableKey, string location)
    {
        var root = store.LocationOf(tableKey) + "/";
        if (!location.StartsWith(root, StringComparison.Ordinal))
            throw new InvalidDataException($"File {location} is not under the table location {root}.");
        return tableKey + "/" + Uri.UnescapeDataString(location[root.Length..]);
    }
}
