using Amazon.S3;
using Lakehouse.Core.Config;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Tests.Fixtures;
using TestSupport;

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

    [Fact]
    public async Task PutAsync_RejectsMetadataValues_ThatHttpHeadersCannotCarry()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            Store.PutAsync("m.txt", Utf8("x"), new Dictionary<string, string> { ["course"] = "Château\n" }, CancellationToken.None));

        Assert.Contains("course", error.Message);
        Assert.Null(await Store.StatAsync("m.txt", CancellationToken.None));
    }

    [Fact]
    public async Task PutAsync_EndsTheUpload_WhenTheObjectFillsItsLastPartExactly()
    {
        const int partSize = 5 * 1024 * 1024;
        using var client = S3ObjectStoreProvider.CreateClient(_options);
        var store = new S3ObjectStore(client, _options.BucketFor(Layers.Silver), _options.S3Region, partSize);
        var bytes = new byte[2 * partSize];
        new Random(11).NextBytes(bytes);

        await store.PutAsync("exact/two-parts.bin", new MemoryStream(bytes), new Dictionary<string, string> { ["parts"] = "2" }, CancellationToken.None);

        var info = await store.StatAsync("exact/two-parts.bin", CancellationToken.None);
        Assert.Equal((bytes.Length, "2"), (info!.Size, info.Metadata["parts"]));
        await using var read = await store.OpenReadAsync("exact/two-parts.bin", CancellationToken.None);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(bytes), await System.Security.Cryptography.SHA256.HashDataAsync(read));
    }

    [Fact]
    public async Task PutAsync_LeavesNoObject_AndRaisesTheSourcesError_WhenTheSourceFailsMidUpload()
    {
        var source = new FailingStream(failAfter: 20 * 1024 * 1024);

        var error = await Assert.ThrowsAsync<IOException>(() => Store.PutAsync("broken/upload.bin", source, null, CancellationToken.None));

        Assert.Equal("disk went away", error.Message);
        Assert.Null(await Store.StatAsync("broken/upload.bin", CancellationToken.None));
    }

    [Fact]
    public async Task OpenReadAsync_ReturnsAForwardOnlyStreamOfTheObjectsLength()
    {
        await Store.PutAsync("s.txt", Utf8("streamed"), null, CancellationToken.None);

        await using var stream = await Store.OpenReadAsync("s.txt", CancellationToken.None);

        Assert.False(stream.CanSeek);
        Assert.Equal(8, stream.Length);
        Assert.Equal("streamed", await new StreamReader(stream).ReadToEndAsync());
        Assert.Equal(8, stream.Position);
    }

    public void Dispose() => _provider.Dispose();

    /// <summary>Gives zeros, then fails like a disk or network read would.</summary>
    private sealed class FailingStream(long failAfter) : Stream
    {
        private long _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= failAfter) throw new IOException("disk went away");
            var n = (int)Math.Min(count, failAfter - _position);
            Array.Clear(buffer, offset, n);
            _position += n;
            return n;
        }
    }

    private static async Task<List<string>> BucketNamesAsync(IAmazonS3 client) =>
        ((await client.ListBucketsAsync()).Buckets ?? []).Select(b => b.BucketName).ToList();
}
