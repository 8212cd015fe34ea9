using System.Text.Json;

namespace TmLakehouse.Assets.Bronze;

/// <summary>
/// The elements of a top-level JSON array, streamed: each element is found in a growing buffer with <see cref="Utf8JsonReader"/>
/// (which checks its syntax as it skips it) and handed out as its raw bytes, so memory holds one element, never the file, and
/// no JsonDocument is built per element (JsonSerializer's JsonElement stream read the pilot's JSON export at 10 MB/s).
/// Syntax errors surface as <see cref="JsonException"/> with the line and byte of the whole stream.
/// </summary>
internal sealed class JsonArrayElements(Stream stream)
{
    private const int InitialBufferSize = 1 << 16;

    private byte[] _buffer = new byte[InitialBufferSize];
    private int _start;
    private int _end;
    private bool _streamEnded;
    private JsonReaderState _state;
    private Phase _phase;
    /// <summary>Newlines before <see cref="_start"/>: JsonReaderState counts lines too, but does not say.</summary>
    private long _lines;

    private enum Phase { BeforeArray, InArray, AfterArray }

    private enum Next { Element, End, NeedMore }

    /// <summary>The current element's bytes, valid until the next <see cref="MoveNextAsync"/>.</summary>
    public ReadOnlyMemory<byte> Current { get; private set; }

    /// <summary>The current element's first token: <see cref="JsonTokenType.StartObject"/> for an object.</summary>
    public JsonTokenType CurrentType { get; private set; }

    /// <summary>The 1-based line the current element starts on.</summary>
    public long CurrentLine { get; private set; }

    /// <summary>Elements handed out so far.</summary>
    public long Count { get; private set; }

    /// <exception cref="JsonException">The JSON is malformed (or ends inside the array).</exception>
    /// <exception cref="NotAnArrayException">The top-level value is not an array.</exception>
    public async ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            switch (TryNext())
            {
                case Next.Element:
                    Count++;
                    return true;
                case Next.End:
                    return false;
                default:
                    await FillBufferAsync(cancellationToken);
                    break;
            }
        }
    }

    /// <summary>The JSON value kind a token starts (for messages that name what was found instead of an object).</summary>
    public static string KindOf(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => nameof(JsonValueKind.Object),
        JsonTokenType.StartArray => nameof(JsonValueKind.Array),
        JsonTokenType.String => nameof(JsonValueKind.String),
        JsonTokenType.Number => nameof(JsonValueKind.Number),
        JsonTokenType.True => nameof(JsonValueKind.True),
        JsonTokenType.False => nameof(JsonValueKind.False),
        _ => nameof(JsonValueKind.Null),
    };

    /// <summary>The next element from what is buffered, or <see cref="Next.NeedMore"/> (nothing consumed) when it is not all here yet.</summary>
    private Next TryNext()
    {
        var buffered = _buffer.AsSpan(_start, _end - _start);
        var reader = new Utf8JsonReader(buffered, _streamEnded, _state);
        if (_phase == Phase.BeforeArray)
        {
            if (!reader.Read()) return Next.NeedMore;
            if (reader.TokenType != JsonTokenType.StartArray) throw new NotAnArrayException(LineAt(buffered, reader.TokenStartIndex));
            Consume(ref reader, buffered);
            _phase = Phase.InArray;
            return TryNext();
        }
        if (_phase == Phase.AfterArray)
        {
            // Only whitespace may follow the array; the reader throws on anything else once it has it.
            if (reader.Read()) throw new InvalidOperationException("a JSON reader returned a token after the top-level value");
            Consume(ref reader, buffered);
            return _streamEnded ? Next.End : Next.NeedMore;
        }
        if (!reader.Read()) return Next.NeedMore;
        if (reader.TokenType == JsonTokenType.EndArray)
        {
            Consume(ref reader, buffered);
            _phase = Phase.AfterArray;
            return TryNext();
        }
        var type = reader.TokenType;
        var start = (int)reader.TokenStartIndex;
        if (!reader.TrySkip()) return Next.NeedMore;
        CurrentType = type;
        CurrentLine = LineAt(buffered, start);
        Current = _buffer.AsMemory(_start + start, (int)reader.BytesConsumed - start);
        Consume(ref reader, buffered);
        return Next.Element;
    }

    private void Consume(ref Utf8JsonReader reader, ReadOnlySpan<byte> buffered)
    {
        var consumed = (int)reader.BytesConsumed;
        _lines += buffered[..consumed].Count((byte)'\n');
        _start += consumed;
        _state = reader.CurrentState;
    }

    private long LineAt(ReadOnlySpan<byte> buffered, long position) => _lines + buffered[..(int)position].Count((byte)'\n') + 1;

    /// <summary>Moves what is left to the front, doubles the buffer when an element does not fit, and reads more of the stream.</summary>
    private async ValueTask FillBufferAsync(CancellationToken cancellationToken)
    {
        if (_streamEnded) throw new InvalidOperationException("the JSON array reader asked for more input after the end of the stream");
        var left = _end - _start;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, left);
            _start = 0;
            _end = left;
        }
        if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        if (read == 0) _streamEnded = true;
        _end += read;
    }

    /// <summary>The top-level JSON value is not an array.</summary>
    public sealed class NotAnArrayException(long line) : Exception($"line {line}: the JSON is not an array")
    {
        public long Line { get; } = line;
    }
}
