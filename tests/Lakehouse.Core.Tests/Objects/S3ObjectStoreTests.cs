using Amazon.S3;
using Lakehouse.Core.Config;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Tests.Fixtures;

namespace Lakehouse.Core.Tests.Objects;

/// <summary>The object-store contract against a real S3 API (s3rver on loopback, or TM_TEST_S3_ENDPOINT).</summary>
[Collection(S3Collection.Name)]
public sealed class S3ObjectStoreTests : ObjectStoreContract, IDisposable
{
    private readonly S3ServerFixture _s3;
    private readonly LakehouseOptions _options;
    private readonly S3ObjectStoreProvider _provider;

    public S3ObjectStoreTests(S3ServerFixture s3) : this(s3, s3.NewOptions()) { }

    private S3ObjectStoreTests(S3ServerFixture s3, LakehouseOptions options) : this(s3, options, new S3ObjectStoreProvider(options)) { }

    private S3ObjectStoreTests(S3ServerFixture s3, LakehouseOptions options, S3ObjectStoreProvider provider)
        : base(provider.For(Layers.Bronze))
    {
        _s3 = s3;
        _options = options;
        _provider = provider;
    }

    [Fact]
    public void LocationOf_IsAnS3Uri_OfTheLayersBucket()
    {
        Assert.Equal($"s3://{_options.BucketFor(Layers.Bronze)}/course_id=x/a b.csv", Store.LocationOf("course_id=x/a b.csv"));
    }

    [Fact]
    public async Task For_CreatesTheLayersBucket_OnFirstUse()
    {
        using var client = S3ObjectStoreProvider.CreateClient(_options);
        var bucket = _options.BucketFor(Layers.Gold);
        Assert.DoesNotContain(bucket, await BucketNamesAsync(client));

        await _provider.For(Layers.Gold).PutAsync("x.txt", Utf8("x"), null, CancellationToken.None);

        Assert.Contains(bucket, await BucketNamesAsync(client));
    }

    [Fact]
    public async Task PutAsync_Fails_WhenTheAccessKeyIsUnknown()
    {
        // s3rver checks the access key but not SigV4 signatures, so an unknown key is what shows the credentials are used.
        using var wrong = new S3ObjectStoreProvider(_options with { S3AccessKey = "NOT-" + _s3.AccessKey });

        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => wrong.For(Layers.Bronze).PutAsync("x.txt", Utf8("x"), null, CancellationToken.None));

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, error.StatusCode);
    }

    [Fact]
    public async Task PutAsync_RejectsUppercaseMetadataNames_BecauseS3WouldLowercaseThem()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            Store.PutAsync("m.txt", Utf8("x"), new Dictionary<string, string> { ["Content-Hash"] = "1" }, CancellationToken.None));

        Assert.Contains("Content-Hash", error.Message);
        Assert.Null(await Store.StatAsync("m.txt", CancellationToken.None));
    }

    public void Dispose() => _provider.Dispose();

    private static async Task<List<string>> BucketNamesAsync(IAmazonS3 client) =>
        ((await client.ListBucketsAsync()).Buckets ?? []).Select(b => b.BucketName).ToList();
}
