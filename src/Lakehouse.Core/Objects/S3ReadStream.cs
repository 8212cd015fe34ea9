using Amazon.S3.Model;

namespace Lakehouse.Core.Objects;

/// <summary>
/// The body of a GET, read straight from the connection; disposing it disposes the response, which frees the connection.
/// </summary>
internal sealed class S3ReadStream(GetObjectResponse response) : Stream
{
    private readonly Stream _body = response.ResponseStream;
    private readonly long _length = response.ContentLength;
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException("S3 object streams are forward-only.");
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(_body.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(_body.Read(buffer));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Count(await _body.ReadAsync(buffer.AsMemory(offset, count), cancellationToken));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await _body.ReadAsync(buffer, cancellationToken));

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("S3 object streams are forward-only.");
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) response.Dispose();
        base.Dispose(disposing);
    }

    private int Count(int read)
    {
        _position += read;
        return read;
    }
}
