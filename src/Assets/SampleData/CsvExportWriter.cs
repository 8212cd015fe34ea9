using System.Globalization;
using System.Text;

namespace TmLakehouse.Assets.SampleData;

/// <summary>
/// Writes rounds as a flattened CSV (RFC 4180 quoting, LF line ends), one line per round, padding narrower rounds. Values are
/// formatted straight into a UTF-8 buffer: a string per cell (~200 cells a round) was most of `tmlake sample-data`'s time.
/// </summary>
internal sealed class CsvExportWriter : IDisposable
{
    private readonly FileStream _file;
    private readonly IReadOnlyList<ExportColumn> _columns;
    private readonly byte[] _buffer = new byte[1 << 20];
    private int _length;

    public CsvExportWriter(string path, IReadOnlyList<ExportColumn> columns)
    {
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1);
        _columns = columns;
        for (var i = 0; i < columns.Count; i++)
        {
            if (i > 0) Byte((byte)',');
            Text(columns[i].Name);
        }
        Byte((byte)'\n');
    }

    public void Write(SampleRound round)
    {
        for (var i = 0; i < _columns.Count; i++)
        {
            if (i > 0) Byte((byte)',');
            SampleText.Write(this, round, _columns[i]);
        }
        Byte((byte)'\n');
    }

    public void Number(double value) => Formatted(value);

    public void Number(int value) => Formatted(value);

    public void Bool(bool value) => Ascii(value ? "true"u8 : "false"u8);

    public void Iso(DateTime utc)
    {
        Room(SampleText.IsoLength);
        _length += SampleText.Iso(utc, _buffer.AsSpan(_length));
    }

    /// <summary>A text cell, quoted when it holds a comma, a quote or a line break.</summary>
    public void Text(string text)
    {
        if (text.AsSpan().IndexOfAny(",\"\r\n") >= 0) text = "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        Room(Encoding.UTF8.GetMaxByteCount(text.Length));
        _length += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_length));
    }

    private void Formatted<T>(T value) where T : IUtf8SpanFormattable
    {
        Room(32);
        if (!value.TryFormat(_buffer.AsSpan(_length), out var written, default, CultureInfo.InvariantCulture))
            throw new InvalidOperationException($"{value} does not fit 32 bytes.");
        _length += written;
    }

    private void Ascii(ReadOnlySpan<byte> text)
    {
        Room(text.Length);
        text.CopyTo(_buffer.AsSpan(_length));
        _length += text.Length;
    }

    private void Byte(byte value)
    {
        Room(1);
        _buffer[_length++] = value;
    }

    private void Room(int bytes)
    {
        if (_length + bytes <= _buffer.Length) return;
        Flush();
        if (bytes > _buffer.Length) throw new InvalidOperationException($"A cell of {bytes} bytes is larger than the write buffer.");
    }

    private void Flush()
    {
        _file.Write(_buffer, 0, _length);
        _length = 0;
    }

    public void Dispose()
    {
        Flush();
        _file.Dispose();
    }
}
