using System.Text.Json;

namespace TmLakehouse.Assets.Spatial.Reading;

/// <summary>
/// Walks a GeoJSON file through a growing buffer with Utf8JsonReader: the root's <c>type</c> and <c>crs</c> members are kept,
/// each element of <c>features</c> goes whole to the element callback (or is skipped without one). The buffer grows only to the
/// largest single member or feature, so a file of any size is read in bounded memory.
/// </summary>
internal sealed class GeoJsonScanner : IDisposable
{
    public delegate T Element<out T>(ref Utf8JsonReader reader, int index);

    private enum Phase { Root, Members, Value, Features, Done }

    private readonly FileStream _stream;
    private readonly string _file;
    private readonly Element<VectorFeature>? _element;
    private byte[] _buffer = new byte[1 << 16];
    private int _length;
    private bool _final;
    private JsonReaderState _state;
    private Phase _phase = Phase.Root;
    private string? _member;
    private int _index;

    public GeoJsonScanner(string path, string file, Element<VectorFeature>? element)
    {
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        _file = file;
        _element = element;
    }

    public string? Type { get; private set; }
    public string? Crs { get; private set; }

    /// <summary>The root's <c>type</c> and the name in its <c>crs</c> member, the features skipped.</summary>
    public static (string? Type, string? Crs) ScanRoot(string path, string file)
    {
        using var scanner = new GeoJsonScanner(path, file, null);
        while (scanner.Next(null)) { }
        return (scanner.Type, scanner.Crs);
    }

    /// <summary>Reads one more buffer's worth, adding its features to <paramref name="features"/>; false once the file is done.</summary>
    public bool Next(List<VectorFeature>? features)
    {
        if (_phase == Phase.Done) return false;
        Fill();
        var consumed = 0L;
        try
        {
            consumed = Walk(features);
        }
        catch (JsonException e)
        {
            throw new SpatialInputException(_file, null, $"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}", e);
        }
        Buffer.BlockCopy(_buffer, (int)consumed, _buffer, 0, _length - (int)consumed);
        _length -= (int)consumed;
        if (_final && _phase != Phase.Done)
            throw new SpatialInputException(_file, null, "not valid JSON: the file ends inside its root object");
        return true;
    }

    private void Fill()
    {
        if (_length == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2); // one member or feature larger than the buffer
        while (!_final && _length < _buffer.Length)
        {
            var read = _stream.Read(_buffer, _length, _buffer.Length - _length);
            if (read == 0) _final = true;
            _length += read;
        }
    }

    private long Walk(List<VectorFeature>? features)
    {
        var reader = new Utf8JsonReader(_buffer.AsSpan(0, _length), _final, _state);
        while (true)
        {
            var before = reader.CurrentState;
            var at = reader.BytesConsumed;
            if (!reader.Read())
            {
                if (_final && _phase == Phase.Root) _phase = Phase.Done; // an empty file: no type
                break;
            }
            switch (_phase)
            {
                case Phase.Root:
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        _phase = Phase.Done;
                        return reader.BytesConsumed;
                    }
                    _phase = Phase.Members;
                    break;
                case Phase.Members:
                    if (reader.TokenType == JsonTokenType.EndObject)
                    {
                        _phase = Phase.Done;
                        return reader.BytesConsumed;
                    }
                    _member = reader.GetString();
                    _phase = Phase.Value;
                    break;
                case Phase.Value when _member == "features" && reader.TokenType == JsonTokenType.StartArray:
                    _phase = Phase.Features;
                    break;
                case Phase.Value:
                    if (!Complete(reader)) return Rewind(before, at);
                    if (_member == "type" && reader.TokenType == JsonTokenType.String) Type = reader.GetString();
                    else if (_member == "crs" && reader.TokenType == JsonTokenType.StartObject)
                    {
                        using var crs = JsonDocument.ParseValue(ref reader);
                        Crs = crs.RootElement.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object
                              && p.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
                    }
                    else reader.TrySkip(); // whole in the buffer (checked above): Skip refuses any block but the final one
                    _phase = Phase.Members;
                    break;
                case Phase.Features:
                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        _phase = Phase.Members;
                        break;
                    }
                    if (!Complete(reader)) return Rewind(before, at);
                    if (features is not null && _element is not null) features.Add(_element(ref reader, _index));
                    else reader.TrySkip(); // whole in the buffer (checked above): Skip refuses any block but the final one
                    _index++;
                    break;
            }
        }
        _state = reader.CurrentState;
        return reader.BytesConsumed;
    }

    /// <summary>Whether the value starting at the reader's token is whole in the buffer (a copy of the reader tries to skip it).</summary>
    private static bool Complete(Utf8JsonReader probe) => probe.TrySkip();

    private long Rewind(JsonReaderState before, long at)
    {
        _state = before;
        return at;
    }

    public void Dispose() => _stream.Dispose();
}
