using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Lakehouse.Core.Objects;

/// <summary>
/// Creates the bucket on first use when it is missing (a fresh MinIO or s3rver); on AWS the bucket normally exists and
/// this costs one HEAD per process.
/// </summary>
internal sealed class S3BucketGuard(IAmazonS3 client, string bucket, string region)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _ready;

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (_ready) return;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_ready) return;
            if (!await ExistsAsync(cancellationToken)) await CreateAsync(cancellationToken);
            _ready = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<bool> ExistsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await client.HeadBucketAsync(new HeadBucketRequest { BucketName = bucket }, cancellationToken);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private async Task CreateAsync(CancellationToken cancellationToken)
    {
        var request = new PutBucketRequest { BucketName = bucket };
        // us-east-1 is the one region where S3 rejects an explicit location constraint.
        if (!string.Equals(region, "us-east-1", StringComparison.Ordinal)) request.BucketRegionName = region;
        try
        {
            await client.PutBucketAsync(request, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou")
        {
            // Another process created it between our HEAD and PUT.
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyExists")
        {
            // The same race on endpoints (s3rver, us-east-1) that answer BucketAlreadyExists even to the owner: reachable means ours.
            if (!await ExistsAsync(cancellationToken)) throw;
        }
    }
}
