using System.Buffers;

namespace TmLakehouse.Assets.Silver;

/// <summary>
/// A read-only stream that looks at an input's first bytes before anyone parses it: empty, binary (control bytes),
/// or text, and which format; it drops a UTF-8 byte-order mark and counts the bytes read.
/// </summary>
internal sealed class SniffedStream : Stream
{
    private const int PrefixSize = 8192;
    private static readonly SearchValues<byte> ControlBytes = SearchValues.Create(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 127]);

    private readonly Stream _inner;
    private readonly byte[] _prefix;
    private int _prefixPosition;
    private readonly int _prefixLength;

    private SniffedStream(Stream inner, byte[] prefix, int start, int length, InputFormat format)
    {
        _inner = inner;
        _prefix = prefix;
        _prefixPosition = start;
        _prefixLength = length;
        Format = format;
    }

    public InputFormat Format { get; }
    public long BytesRead { get; private set; }

    public static bool IsControl(ReadOnlySpan<byte> bytes) => bytes.IndexOfAny(ControlBytes) >= 0;
    public static int IndexOfControl(ReadOnlySpan<byte> bytes) => bytes.IndexOfAny(ControlBytes);

    public static async Task<SniffedStream> OpenAsync(SilverInput input, CancellationToken cancellationToken)
    {
        var inner = await input.Open(cancellationToken);
        try
        {
            var prefix = new byte[PrefixSize];
            var length = 0;
            while (length < prefix.Length)
            {
                var read = await inner.ReadAsync(prefix.AsMemory(length), cancellationToken);
                if (read == 0) break;
                length += read;
            }
            var start = length >= 3 && prefix.AsSpan(0, 3).SequenceEqual("\uFEFF"u8) ? 3 : 0;
            var text = prefix.AsSpan(start, length - start);
            if (text.Trim(" \t\r\n"u8).IsEmpty)
                throw new SilverInputException(input.Name, null, null, "the file is empty: expected a header row (CSV) or an array of rounds (JSON).");
            var control = text.IndexOfAny(ControlBytes);
            if (control >= 0)
                throw new SilverInputException(input.Name, text[..control].Count((byte)'\n') + 1, null,
                    $"binary data, not a text export (byte 0x{text[control]:X2} at byte {start + control}).");
            var first = text.TrimStart(" \t\r\n"u8)[0];
            var format = first is (byte)'[' or (byte)'{' ? InputFormat.Json : InputFormat.Csv;
            var sniffed = new SniffedStream(inner, prefix, start, length, format);
            sniffed.BytesRead = start;
            return sniffed;
        }
        catch
        {
            await inner.DisposeAsync();
            throw;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read;
        if (_prefixPosition < _prefixLength)
        {
            read = Math.Min(buffer.Length, _prefixLength - _prefixPosition);
            _prefix.AsSpan(_prefixPosition, read).CopyTo(buffer);
            _prefixPosition += read;
        }
        else read = _inner.Read(buffer);
        BytesRead += read;
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_prefixPosition < _prefixLength) return Read(buffer.Span);
        var read = await _inner.ReadAsync(buffer, cancellationToken);
        BytesRead += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync();
        await base.DisposeAsync();
    }
}
