using System.Text;

namespace Lakehouse.Core.Instance.Storage;

/// <summary>
/// Turns the UTF-8 bytes of one column, row after row, into strings, handing back the previous row's string when the
/// bytes repeat it.
/// </summary>
internal sealed class RepeatedUtf8Text
{
    private byte[] _bytes = new byte[64];
    private int _length = -1;
    private string _text = "";

    public string Get(ReadOnlySpan<byte> utf8)
    {
        // One run writes many partitions and rows come ordered by asset, so long stretches repeat a value; comparing the
        // bytes costs far less than decoding and allocating a string for every row.
        if (utf8.Length == _length && utf8.SequenceEqual(_bytes.AsSpan(0, _length))) return _text;
        if (_bytes.Length < utf8.Length) _bytes = new byte[utf8.Length];
        utf8.CopyTo(_bytes);
        _length = utf8.Length;
        return _text = Encoding.UTF8.GetString(utf8);
    }
}
