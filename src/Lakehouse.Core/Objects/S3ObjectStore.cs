using System.Buffers;
using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Lakehouse.Core.Objects;

/// <summary>
/// One S3 bucket (AWS, MinIO or s3rver). Objects up to one part size go up in a single PUT; larger ones as a multipart
/// upload, so memory stays at one part buffer whatever the object size. Reads stream the response body.
/// </summary>
internal sealed class S3ObjectStore : IObjectStore
{
    /// <summary>16 MiB: above S3's 5 MiB part minimum, and 10,000 parts still reach 160 GiB.</summary>
    internal const int DefaultPartSize = 16 * 1024 * 1024;

    private const string MetaPrefix = "x-amz-meta-";
    private const int SmallBufferSize = 64 * 1024;
    private readonly IAmazonS3 _client;
    private readonly S3BucketGuard _bucketGuard;
    private readonly int _partSize;

    public S3ObjectStore(IAmazonS3 client, string bucket, string region, int partSize = DefaultPartSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partSize, 5 * 1024 * 1024);
        _client = client;
        Bucket = bucket;
        _partSize = partSize;
        _bucketGuard = new S3BucketGuard(client, bucket, region);
    }

    public string Bucket { get; }

    public string LocationOf(string key)
    {
        ValidateKey(key);
        return $"s3://{Bucket}/{key}";
    }

    public async Task PutAsync(string key, Stream content, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        ValidateKey(key);
        ValidateMetadata(metadata);
        await _bucketGuard.EnsureAsync(cancellationToken);
        // Most objects are small: read into 64 KiB first, and take a whole part buffer only when the object is larger.
        var small = ArrayPool<byte>.Shared.Rent(SmallBufferSize);
        byte[]? part = null;
        try
        {
            var count = await FillAsync(content, small, 0, SmallBufferSize, cancellationToken);
            if (count < SmallBufferSize)
            {
                await PutSingleAsync(key, small, count, metadata, cancellationToken);
                return;
            }
            part = ArrayPool<byte>.Shared.Rent(_partSize);
            small.AsSpan(0, count).CopyTo(part);
            count += await FillAsync(content, part, count, _partSize, cancellationToken);
            if (count < _partSize) await PutSingleAsync(key, part, count, metadata, cancellationToken);
            else await PutMultipartAsync(key, content, part, count, metadata, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(small);
            if (part is not null) ArrayPool<byte>.Shared.Return(part);
        }
    }

    public async Task PutFileAsync(string key, string localPath, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        await using var source = new FileStream(localPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        await PutAsync(key, source, metadata, cancellationToken);
    }

    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        ValidateKey(key);
        await _bucketGuard.EnsureAsync(cancellationToken);
        try
        {
            var response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = key }, cancellationToken);
            return new S3ReadStream(response);
        }
        catch (AmazonS3Exception e) when (IsNotFound(e))
        {
            throw new ObjectNotFoundException(LocationOf(key));
        }
    }

    public async Task<ObjectInfo?> StatAsync(string key, CancellationToken cancellationToken)
    {
        ValidateKey(key);
        await _bucketGuard.EnsureAsync(cancellationToken);
        try
        {
            var head = await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = key }, cancellationToken);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var name in head.Metadata.Keys)
            {
                var shortName = name.StartsWith(MetaPrefix, StringComparison.OrdinalIgnoreCase) ? name[MetaPrefix.Length..] : name;
                metadata[shortName] = head.Metadata[name];
            }
            return new ObjectInfo(key, head.ContentLength, ToOffset(head.LastModified)) { Metadata = metadata };
        }
        catch (AmazonS3Exception e) when (IsNotFound(e))
        {
            return null;
        }
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await _bucketGuard.EnsureAsync(cancellationToken);
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix };
        string? previous = null;
        while (true)
        {
            var page = await _client.ListObjectsV2Async(request, cancellationToken);
            // AWSSDK 4 leaves collections null when the response has none. AWS and MinIO send each page in key order;
            // s3rver walks folders instead, so "a/b/c" can come before "a/b.txt". Sorting one page costs at most 1,000 keys.
            foreach (var item in (page.S3Objects ?? []).OrderBy(o => o.Key, StringComparer.Ordinal))
            {
                if (previous is not null && string.CompareOrdinal(item.Key, previous) <= 0)
                    throw new InvalidOperationException(
                        $"The S3 endpoint listed s3://{Bucket}/{item.Key} after s3://{Bucket}/{previous}; listings must be in key order across pages.");
                previous = item.Key;
                yield return new ObjectInfo(item.Key, item.Size ?? 0, ToOffset(item.LastModified));
            }
            if (page.IsTruncated != true || string.IsNullOrEmpty(page.NextContinuationToken)) yield break;
            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        ValidateKey(key);
        await _bucketGuard.EnsureAsync(cancellationToken);
        try
        {
            await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = key }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (IsNotFound(e))
        {
            // Some S3-compatible servers answer 404 where AWS answers 204; both mean the object is gone.
        }
    }

    private async Task PutSingleAsync(string key, byte[] buffer, int count, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest
        {
            BucketName = Bucket,
            Key = key,
            InputStream = new MemoryStream(buffer, 0, count, writable: false),
            AutoCloseStream = true,
            // s3rver and some MinIO setups do not decode aws-chunked bodies; a signed whole-body PUT works everywhere.
            UseChunkEncoding = false,
        };
        CopyMetadata(metadata, request.Metadata);
        await _client.PutObjectAsync(request, cancellationToken);
    }

    private async Task PutMultipartAsync(string key, Stream content, byte[] buffer, int first, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        var initiate = new InitiateMultipartUploadRequest { BucketName = Bucket, Key = key };
        CopyMetadata(metadata, initiate.Metadata);
        var upload = await _client.InitiateMultipartUploadAsync(initiate, cancellationToken);
        var parts = new List<PartETag>();
        try
        {
            var count = first;
            for (var partNumber = 1; count > 0; partNumber++)
            {
                var part = await _client.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = Bucket,
                    Key = key,
                    UploadId = upload.UploadId,
                    PartNumber = partNumber,
                    PartSize = count,
                    InputStream = new MemoryStream(buffer, 0, count, writable: false),
                    UseChunkEncoding = false,
                }, cancellationToken);
                parts.Add(new PartETag(partNumber, part.ETag));
                count = await FillAsync(content, buffer, 0, _partSize, cancellationToken);
            }
            await _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = Bucket,
                Key = key,
                UploadId = upload.UploadId,
                PartETags = parts,
            }, cancellationToken);
        }
        catch
        {
            // An abandoned upload keeps its parts (and their cost) until aborted; the object itself is untouched.
            // The abort is best effort so the original failure is what the caller sees; the bucket's lifecycle rule
            // for incomplete uploads (docs/runbook.md) removes whatever an abort that failed leaves behind.
            try
            {
                await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = Bucket, Key = key, UploadId = upload.UploadId }, CancellationToken.None);
            }
            catch (AmazonServiceException)
            {
            }
            throw;
        }
    }

    /// <summary>Reads until <paramref name="end"/> or the end of the stream; returns how many bytes were added.</summary>
    private static async Task<int> FillAsync(Stream content, byte[] buffer, int start, int end, CancellationToken cancellationToken)
    {
        var filled = start;
        while (filled < end)
        {
            var read = await content.ReadAsync(buffer.AsMemory(filled, end - filled), cancellationToken);
            if (read == 0) break;
            filled += read;
        }
        return filled - start;
    }

    private static void CopyMetadata(IReadOnlyDictionary<string, string>? metadata, MetadataCollection target)
    {
        if (metadata is null) return;
        foreach (var (name, value) in metadata) target[name] = value;
    }

    /// <summary>Metadata travels as HTTP headers: S3 lowercases names and cannot carry non-ASCII or control characters.</summary>
    private static void ValidateMetadata(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null) return;
        foreach (var (name, value) in metadata)
        {
            if (name.Length == 0 || !name.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.'))
                throw new ArgumentException($"Metadata name '{name}' must be lowercase ASCII letters, digits, '-', '_' or '.': S3 stores names as lowercase HTTP headers.", nameof(metadata));
            if (value.Any(c => c is < ' ' or > '~'))
                throw new ArgumentException($"Metadata '{name}' has a value with non-ASCII or control characters, which S3 headers cannot carry.", nameof(metadata));
        }
    }

    internal static bool IsNotFound(AmazonS3Exception e) =>
        e.StatusCode == HttpStatusCode.NotFound || e.ErrorCode is "NoSuchKey" or "NotFound";

    private static DateTimeOffset ToOffset(DateTime? value) =>
        value is { } v ? new DateTimeOffset(v.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : v.ToUniversalTime()) : DateTimeOffset.UnixEpoch;

    private static void ValidateKey(string key)
    {
        if (string.IsNullOrEmpty(key) || key.StartsWith('/') || key.Split('/').Any(p => p is "" or "." or ".."))
            throw new ArgumentException($"'{key}' is not a valid object key.", nameof(key));
    }
}
