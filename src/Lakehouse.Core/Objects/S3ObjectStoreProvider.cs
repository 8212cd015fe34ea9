using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.S3;
using Lakehouse.Core.Config;

namespace Lakehouse.Core.Objects;

/// <summary>
/// One S3 bucket per layer (<see cref="LakehouseOptions.BucketFor"/>), all through one client. With no access key
/// configured the client uses the default AWS credential chain (environment, profile, ECS task role, instance role).
/// </summary>
public sealed class S3ObjectStoreProvider : IObjectStoreProvider, IDisposable
{
    private readonly LakehouseOptions _options;
    private readonly AmazonS3Client _client;
    private readonly ConcurrentDictionary<string, IObjectStore> _stores = new();

    public S3ObjectStoreProvider(LakehouseOptions options)
    {
        _options = options;
        _client = CreateClient(options);
        Staging = new LocalStaging(options.StagingRoot);
    }

    public LocalStaging Staging { get; }

    public IObjectStore For(string layer) =>
        _stores.GetOrAdd(layer, l => new S3ObjectStore(_client, _options.BucketFor(l), _options.S3Region));

    public void Dispose() => _client.Dispose();

    internal static AmazonS3Client CreateClient(LakehouseOptions options)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.S3ForcePathStyle,
            // AWSSDK 4 sends CRC checksums by default, which s3rver and older MinIO reject or store as body bytes.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (string.IsNullOrWhiteSpace(options.S3Endpoint))
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.S3Region);
        }
        else
        {
            config.ServiceURL = options.S3Endpoint;
            config.AuthenticationRegion = options.S3Region;
        }

        if (options.S3AccessKey is { Length: > 0 } accessKey)
        {
            if (options.S3SecretKey is not { Length: > 0 } secretKey)
                throw new InvalidOperationException("TM_S3_ACCESS_KEY is set but TM_S3_SECRET_KEY is not; set both or neither.");
            return new AmazonS3Client(new BasicAWSCredentials(accessKey, secretKey), config);
        }
        return new AmazonS3Client(config);
    }
}
