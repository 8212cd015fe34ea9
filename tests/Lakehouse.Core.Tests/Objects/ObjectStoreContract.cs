using System.Security.Cryptography;
using System.Text;
using Lakehouse.Core.Objects;

namespace Lakehouse.Core.Tests.Objects;

/// <summary>What every <see cref="IObjectStore"/> must do; each backend's test class derives from this one.</summary>
public abstract class ObjectStoreContract(IObjectStore store)
{
    private static readonly CancellationToken None = CancellationToken.None;

    protected IObjectStore Store { get; } = store;

    [Fact]
    public async Task PutAsync_ThenOpenReadAsync_ReturnsTheExactBytes()
    {
        var bytes = RandomBytes(100_000, seed: 1);

        await Store.PutAsync("raw/data.bin", new MemoryStream(bytes), null, None);

        Assert.Equal(bytes, await ReadAllAsync("raw/data.bin"));
    }

    [Fact]
    public async Task PutAsync_StoresAnEmptyObject_WhenTheStreamIsEmpty()
    {
        await Store.PutAsync("empty.txt", new MemoryStream(), null, None);

        Assert.Empty(await ReadAllAsync("empty.txt"));
        Assert.Equal(0, (await Store.StatAsync("empty.txt", None))!.Size);
    }

    [Fact]
    public async Task PutAsync_ReplacesContentAndMetadata_WhenTheKeyExists()
    {
        await Store.PutAsync("report.json", Utf8("{\"version\":1,\"long\":true}"), new Dictionary<string, string> { ["version"] = "1", ["old-only"] = "x" }, None);

        await Store.PutAsync("report.json", Utf8("{\"version\":2}"), new Dictionary<string, string> { ["version"] = "2" }, None);

        Assert.Equal("{\"version\":2}", Encoding.UTF8.GetString(await ReadAllAsync("report.json")));
        var info = await Store.StatAsync("report.json", None);
        Assert.Equal(13, info!.Size);
        Assert.Equal(new Dictionary<string, string> { ["version"] = "2" }, info.Metadata);
    }

    [Fact]
    public async Task StatAsync_ReturnsSizeAndMetadata_WrittenWithThePut()
    {
        var metadata = new Dictionary<string, string> { ["content-sha256"] = "abc123", ["source-file"] = "round 7.csv" };
        var before = DateTimeOffset.UtcNow.AddMinutes(-5);

        await Store.PutAsync("bronze/file.csv", Utf8("a,b\n1,2\n"), metadata, None);

        var info = await Store.StatAsync("bronze/file.csv", None);
        Assert.NotNull(info);
        Assert.Equal("bronze/file.csv", info.Key);
        Assert.Equal(8, info.Size);
        Assert.Equal(metadata, info.Metadata);
        Assert.InRange(info.LastModified, before, DateTimeOffset.UtcNow.AddMinutes(5));
    }

    [Fact]
    public async Task StatAsync_ReturnsNull_WhenTheObjectIsMissing()
    {
        Assert.Null(await Store.StatAsync("nothing/here.bin", None));
    }

    [Fact]
    public async Task OpenReadAsync_ThrowsObjectNotFound_NamingTheLocation_WhenTheObjectIsMissing()
    {
        var error = await Assert.ThrowsAsync<ObjectNotFoundException>(() => Store.OpenReadAsync("nothing/here.bin", None));

        Assert.Equal(Store.LocationOf("nothing/here.bin"), error.Location);
        Assert.Contains("here.bin", error.Message);
    }

    [Fact]
    public async Task ListAsync_ReturnsKeysUnderThePrefix_InKeyOrder_IncludingNestedKeys()
    {
        string[] keys = ["a/z.txt", "ab.txt", "a/b/c.txt", "b/a.txt", "a/b.txt", "a/a.txt", "a/b/c/d.txt"];
        foreach (var key in keys) await Store.PutAsync(key, Utf8(key), null, None);

        var listed = await ListAsync("a/");

        Assert.Equal(["a/a.txt", "a/b.txt", "a/b/c.txt", "a/b/c/d.txt", "a/z.txt"], listed.Select(i => i.Key));
        Assert.All(listed, i => Assert.Equal(Encoding.UTF8.GetByteCount(i.Key), i.Size));
        Assert.Equal(keys.Order(StringComparer.Ordinal), (await ListAsync("")).Select(i => i.Key));
        Assert.Empty(await ListAsync("c/"));
    }

    [Fact]
    public async Task ListAsync_ReturnsEveryKey_WhenThereAreMoreThanAThousand()
    {
        var keys = Enumerable.Range(0, 1_100).Select(i => $"many/{i:D5}.txt").ToList();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (key, ct) => await Store.PutAsync(key, Utf8("x"), null, ct));
        await Store.PutAsync("other/after.txt", Utf8("y"), null, None);

        var listed = await ListAsync("many/");

        Assert.Equal(keys, listed.Select(i => i.Key));
    }

    [Fact]
    public async Task DeleteAsync_RemovesTheObject()
    {
        await Store.PutAsync("gone/soon.txt", Utf8("bye"), new Dictionary<string, string> { ["k"] = "v" }, None);

        await Store.DeleteAsync("gone/soon.txt", None);

        Assert.Null(await Store.StatAsync("gone/soon.txt", None));
        Assert.Empty(await ListAsync("gone/"));
    }

    [Fact]
    public async Task DeleteAsync_DoesNotThrow_WhenTheObjectIsMissing()
    {
        await Store.DeleteAsync("never/was.txt", None);

        Assert.Null(await Store.StatAsync("never/was.txt", None));
    }

    [Fact]
    public async Task PutFileAsync_UploadsALargeFileByteForByte_WithItsMetadata()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tm-large-{Guid.NewGuid():N}.bin");
        try
        {
            const long size = 40L * 1024 * 1024 + 12_345;
            var expected = await WriteRandomFileAsync(path, size);

            await Store.PutFileAsync("large/file.bin", path, new Dictionary<string, string> { ["sha256"] = expected }, None);

            var info = await Store.StatAsync("large/file.bin", None);
            Assert.Equal(size, info!.Size);
            Assert.Equal(expected, info.Metadata["sha256"]);
            await using var read = await Store.OpenReadAsync("large/file.bin", None);
            Assert.Equal(expected, Convert.ToHexString(await SHA256.HashDataAsync(read)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task MoveFileAsync_StoresTheFileWithItsMetadata_AndTheLocalFileIsGone_ReplacingAnOlderObject()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tm-move-{Guid.NewGuid():N}.bin");
        try
        {
            await Store.PutAsync("moved/file.bin", new MemoryStream([1, 2, 3]), null, None);
            var bytes = RandomBytes(300_000, seed: 7);
            await File.WriteAllBytesAsync(path, bytes);

            await Store.MoveFileAsync("moved/file.bin", path, new Dictionary<string, string> { ["rows"] = "42" }, None);

            Assert.False(File.Exists(path));
            Assert.Equal(bytes, await ReadAllAsync("moved/file.bin"));
            Assert.Equal("42", (await Store.StatAsync("moved/file.bin", None))!.Metadata["rows"]);
            Assert.Equal(["moved/file.bin"], await Store.ListAsync("moved/", None).Select(o => o.Key).ToListAsync());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task PutAsync_ReadsANonSeekableStreamToItsEnd_WhenItIsLargerThanOnePart()
    {
        var bytes = RandomBytes(17 * 1024 * 1024 + 7, seed: 3);

        await Store.PutAsync("stream/big.bin", new ForwardOnlyStream(bytes), null, None);

        Assert.Equal(bytes.Length, (await Store.StatAsync("stream/big.bin", None))!.Size);
        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(await ReadAllAsync("stream/big.bin")));
    }

    [Fact]
    public async Task Keys_WithEqualsSignsAndSpaces_RoundTrip()
    {
        const string key = "course_id=x/ingest_date=2025-06-01/my file.csv";
        await Store.PutAsync(key, Utf8("hole,pace\n1,ok\n"), new Dictionary<string, string> { ["course"] = "x" }, None);

        Assert.Equal("hole,pace\n1,ok\n", Encoding.UTF8.GetString(await ReadAllAsync(key)));
        Assert.Equal("x", (await Store.StatAsync(key, None))!.Metadata["course"]);
        Assert.Equal([key], (await ListAsync("course_id=x/ingest_date=2025-06-01/")).Select(i => i.Key));
        await Store.DeleteAsync(key, None);
        Assert.Null(await Store.StatAsync(key, None));
    }

    [Fact]
    public async Task PutAsync_RejectsKeys_ThatAreNotRelativePaths()
    {
        foreach (var key in new[] { "", "/abs.txt", "a//b.txt", "a/../b.txt", "a/./b.txt" })
            await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(key, Utf8("x"), null, None));
    }

    protected async Task<byte[]> ReadAllAsync(string key)
    {
        await using var stream = await Store.OpenReadAsync(key, None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    protected async Task<List<ObjectInfo>> ListAsync(string prefix)
    {
        var items = new List<ObjectInfo>();
        await foreach (var item in Store.ListAsync(prefix, None)) items.Add(item);
        return items;
    }

    protected static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));

    private static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static async Task<string> WriteRandomFileAsync(string path, long size)
    {
        var random = new Random(7);
        var chunk = new byte[1024 * 1024];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var file = File.Create(path);
        for (long written = 0; written < size; written += chunk.Length)
        {
            var count = (int)Math.Min(chunk.Length, size - written);
            random.NextBytes(chunk);
            hash.AppendData(chunk, 0, count);
            await file.WriteAsync(chunk.AsMemory(0, count));
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>A stream that can only be read forward and does not know its length, like a network body.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private int _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count)
        {
            // Short reads on purpose: callers must loop until the stream ends.
            var n = Math.Min(Math.Min(count, 100_000), bytes.Length - _position);
            Array.Copy(bytes, _position, buffer, offset, n);
            _position += n;
            return n;
        }
    }
}
