using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TmLakehouse.Assets.Silver;

/// <summary>
/// Reads a MongoDB JSON export (an array of rounds with nested locations, <c>{"$oid"}</c>/<c>{"$date"}</c> values) one round
/// element at a time, never the whole file. Each element is found in a growing buffer with <see cref="Utf8JsonReader"/>
/// (which checks the syntax as it skips it) and its tokens are then read straight into the round record: no JsonDocument per
/// round. The pilot's JSON course, through JsonSerializer's JsonElement stream, read at 10 MB/s, 7× the per-row time of CSV.
/// </summary>
internal sealed class JsonRoundReader : IRoundReader
{
    private const int InitialBufferSize = 1 << 16;
    private static readonly long[] Discard = new long[SilverColumn.Count + 1];

    private readonly SilverInput _input;
    private readonly SniffedStream _stream;
    private byte[] _buffer = new byte[InitialBufferSize];
    private int _start;
    private int _end;
    private bool _streamEnded;
    private JsonReaderState _state;
    private Phase _phase;
    private long _index;
    /// <summary>Newlines before <see cref="_start"/>: JsonReaderState counts lines too but does not say, and errors found outside the reader need one.</summary>
    private long _lines;

    private enum Phase { BeforeArray, InArray, AfterArray }

    private enum Next { Round, End, NeedMore }

    public JsonRoundReader(SilverInput input, SniffedStream stream, CancellationToken cancellationToken)
    {
        _input = input;
        _stream = stream;
    }

    public long BytesRead => _stream.BytesRead;

    public async ValueTask<bool> ReadAsync(RoundRecord round, bool keysOnly, long[] malformed, CancellationToken cancellationToken)
    {
        while (true)
        {
            switch (TryNext(round, keysOnly, malformed))
            {
                case Next.Round: return true;
                case Next.End:
                    if (_index == 0) throw new SilverInputException(_input.Name, null, null, "the file holds no rounds (an empty array).");
                    return false;
                default:
                    await FillBufferAsync(cancellationToken);
                    break;
            }
        }
    }

    /// <summary>The next round from what is buffered, or <see cref="Next.NeedMore"/> (nothing consumed) when it is not all here yet.</summary>
    private Next TryNext(RoundRecord round, bool keysOnly, long[] malformed)
    {
        var buffered = _buffer.AsSpan(_start, _end - _start);
        var reader = new Utf8JsonReader(buffered, _streamEnded, _state);
        try
        {
            if (_phase == Phase.BeforeArray)
            {
                if (!reader.Read()) return Next.NeedMore;
                if (reader.TokenType != JsonTokenType.StartArray)
                    throw new SilverInputException(_input.Name, LineAt(buffered, reader.TokenStartIndex), "$[0]", "the JSON is not an array of rounds.");
                Consume(ref reader, buffered);
                _phase = Phase.InArray;
                buffered = _buffer.AsSpan(_start, _end - _start);
                reader = new Utf8JsonReader(buffered, _streamEnded, _state);
            }
            if (_phase == Phase.AfterArray)
            {
                // Only whitespace may follow the array; the reader says so once it has seen the end of the stream.
                if (reader.Read()) throw new InvalidOperationException("a JSON reader returned a token after the top-level value");
                return _streamEnded ? Next.End : Next.NeedMore;
            }
            if (!reader.Read()) return Next.NeedMore;
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                Consume(ref reader, buffered);
                _phase = Phase.AfterArray;
                return TryNext(round, keysOnly, malformed);
            }
            if (reader.TokenType != JsonTokenType.StartObject)
                throw new SilverInputException(_input.Name, LineAt(buffered, reader.TokenStartIndex), $"$[{_index}]", $"round {_index + 1} is a JSON {KindOf(reader.TokenType)}, not an object.");
            var elementStart = (int)reader.TokenStartIndex;
            if (!reader.TrySkip()) return Next.NeedMore;
            var element = buffered[elementStart..(int)reader.BytesConsumed];
            _index++;
            round.Reset();
            round.Line = _index;
            round.FromJson = true;
            try
            {
                Fill(round, element, keysOnly, keysOnly ? Discard : malformed);
            }
            catch (InvalidOperationException e) when (e.InnerException is DecoderFallbackException or ArgumentException || e.Message.Contains("UTF-8", StringComparison.Ordinal))
            {
                throw new SilverInputException(_input.Name, LineAt(buffered, elementStart), $"$[{_index - 1}]", "a string is not UTF-8 text (non-UTF-8 bytes).", e);
            }
            Consume(ref reader, buffered);
            return Next.Round;
        }
        catch (JsonException e)
        {
            var reason = e.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd('.') + ".";
            throw new SilverInputException(_input.Name, e.LineNumber + 1, $"$[{_index}]", reason, e);
        }
    }

    private void Consume(ref Utf8JsonReader reader, ReadOnlySpan<byte> buffered)
    {
        var consumed = (int)reader.BytesConsumed;
        _lines += buffered[..consumed].Count((byte)'\n');
        _start += consumed;
        _state = reader.CurrentState;
    }

    /// <summary>The 1-based line of a position in the buffered bytes.</summary>
    private long LineAt(ReadOnlySpan<byte> buffered, long position) => _lines + buffered[..(int)position].Count((byte)'\n') + 1;

    /// <summary>Moves what is left to the front, doubles the buffer when a round does not fit, and reads more of the stream.</summary>
    private async ValueTask FillBufferAsync(CancellationToken cancellationToken)
    {
        if (_streamEnded) throw new InvalidOperationException("the JSON reader asked for more input after the end of the stream");
        var left = _end - _start;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, left);
            _start = 0;
            _end = left;
        }
        if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        if (read == 0) _streamEnded = true;
        _end += read;
    }

    private static string KindOf(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => nameof(JsonValueKind.Array),
        JsonTokenType.String => nameof(JsonValueKind.String),
        JsonTokenType.Number => nameof(JsonValueKind.Number),
        JsonTokenType.True => nameof(JsonValueKind.True),
        JsonTokenType.False => nameof(JsonValueKind.False),
        _ => nameof(JsonValueKind.Null),
    };

    /// <summary>Reads one whole round object (<paramref name="json"/> holds exactly it); in <paramref name="keysOnly"/> mode only what dedup needs.</summary>
    private static void Fill(RoundRecord round, ReadOnlySpan<byte> json, bool keysOnly, long[] m)
    {
        var r = new Utf8JsonReader(json, isFinalBlock: true, state: default);
        r.Read();
        Span<char> name = stackalloc char[NameBufferLength];
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("locations"u8))
            {
                r.Read();
                if (r.TokenType == JsonTokenType.StartArray) ReadLocations(ref r, round, keysOnly, m);
                else r.Skip();
                continue;
            }
            var known = ExportFields.TryRound(NameOf(in r, name), out var field);
            r.Read();
            if (!known || (keysOnly && field is not (RoundField.Id or RoundField.CaptureLogs)))
            {
                r.Skip();
                continue;
            }
            switch (field)
            {
                case RoundField.Id: round.Id = Text(ref r, json); break;
                case RoundField.Course: round.Course = Text(ref r, json); break;
                case RoundField.Device: round.Device = Text(ref r, json); break;
                case RoundField.GoalName: round.GoalName = Text(ref r, json); break;
                case RoundField.StartTime: round.StartTime = Timestamp(ref r, m, SilverColumn.RoundStartTime); break;
                case RoundField.EndTime: round.EndTime = Timestamp(ref r, m, SilverColumn.RoundEndTime); break;
                case RoundField.StartHole: round.StartHole = Int(ref r, m, SilverColumn.StartHole); break;
                case RoundField.StartSection: round.StartSection = Int(ref r, m, SilverColumn.StartSection); break;
                case RoundField.EndSection: round.EndSection = Int(ref r, m, SilverColumn.EndSection); break;
                case RoundField.CurrentNine: round.CurrentNine = Int(ref r, m, SilverColumn.CurrentNine); break;
                case RoundField.IsNineHole: round.IsNineHole = Bool(ref r, m, SilverColumn.IsNineHole); break;
                case RoundField.Complete: round.IsComplete = Bool(ref r, m, SilverColumn.IsComplete); break;
                case RoundField.IsIncomplete: round.IsIncomplete = Bool(ref r, m, SilverColumn.IsIncomplete); break;
                case RoundField.IsSecondary: round.IsSecondary = Bool(ref r, m, SilverColumn.IsSecondary); break;
                case RoundField.IsAutoAssigned: round.IsAutoAssigned = Bool(ref r, m, SilverColumn.IsAutoAssigned); break;
                case RoundField.GoalTime: round.GoalTime = Double(ref r, m, SilverColumn.GoalTime); break;
                case RoundField.GoalTimeFraction: round.GoalTimeFraction = Double(ref r, m, SilverColumn.GoalTimeFraction); break;
                case RoundField.CaptureLogs: ReadCaptureLogs(ref r, json, round, m); break;
            }
        }
    }

    /// <summary>captureLogs as stored: a string's text, or any other value's JSON text (its entries counted).</summary>
    private static void ReadCaptureLogs(ref Utf8JsonReader r, ReadOnlySpan<byte> json, RoundRecord round, long[] m)
    {
        if (r.TokenType == JsonTokenType.Null) return;
        if (r.TokenType == JsonTokenType.String)
        {
            var text = r.GetString();
            if (string.IsNullOrEmpty(text)) return;
            round.CaptureLogs = text;
            round.CaptureLogEntries = CaptureLogs.CountEntries(Encoding.UTF8.GetBytes(text), m);
            return;
        }
        var start = (int)r.TokenStartIndex;
        var entries = 0;
        if (r.TokenType == JsonTokenType.StartArray)
        {
            while (r.Read() && r.TokenType != JsonTokenType.EndArray)
            {
                entries++;
                r.Skip();
            }
        }
        else
        {
            r.Skip();
            entries = CaptureLogs.CountEntries(json[start..(int)r.BytesConsumed], m);
        }
        round.CaptureLogs = Encoding.UTF8.GetString(json[start..(int)r.BytesConsumed]);
        round.CaptureLogEntries = entries;
    }

    /// <summary>The locations array, the reader on its start: padding slots counted, the others added in slot order.</summary>
    private static void ReadLocations(ref Utf8JsonReader r, RoundRecord round, bool keysOnly, long[] m)
    {
        Span<char> name = stackalloc char[NameBufferLength];
        var index = 0;
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            var slot = index++;
            if (r.TokenType != JsonTokenType.StartObject || IsPadding(r))
            {
                round.PaddingSlots++;
                r.Skip();
                continue;
            }
            ref var l = ref round.AddLocation(slot);
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                if (r.ValueTextEquals("fixCoordinates"u8))
                {
                    r.Read();
                    if (keysOnly) r.Skip();
                    else ReadCoordinates(ref r, ref l, m);
                    continue;
                }
                var known = ExportFields.TryLocation(NameOf(in r, name), out var field);
                r.Read();
                if (!known || (keysOnly && field is not (LocationField.IsCache or LocationField.IsProjected or LocationField.Battery)))
                {
                    r.Skip();
                    continue;
                }
                switch (field)
                {
                    case LocationField.Hole: l.Hole = Int(ref r, m, SilverColumn.HoleNumber); break;
                    case LocationField.HoleSection: l.HoleSection = Int(ref r, m, SilverColumn.HoleSection); break;
                    case LocationField.SectionNumber: l.SectionNumber = Int(ref r, m, SilverColumn.SectionNumber); break;
                    case LocationField.StartTime: l.StartSeconds = Double(ref r, m, SilverColumn.FixTimestamp); break;
                    case LocationField.Longitude: l.Longitude = Double(ref r, m, SilverColumn.Longitude); break;
                    case LocationField.Latitude: l.Latitude = Double(ref r, m, SilverColumn.Latitude); break;
                    case LocationField.Pace: l.Pace = Double(ref r, m, SilverColumn.Pace); break;
                    case LocationField.PaceGap: l.PaceGap = Double(ref r, m, SilverColumn.PaceGap); break;
                    case LocationField.PositionalGap: l.PositionalGap = Double(ref r, m, SilverColumn.PositionalGap); break;
                    case LocationField.Battery: l.Battery = Double(ref r, m, SilverColumn.Battery); break;
                    case LocationField.IsProjected: l.IsProjected = Bool(ref r, m, SilverColumn.IsProjected); break;
                    case LocationField.IsProblem: l.IsProblem = Bool(ref r, m, SilverColumn.IsProblem); break;
                    case LocationField.IsCache: l.IsCache = Bool(ref r, m, SilverColumn.IsCache); break;
                    case LocationField.HeldUp: l.HeldUp = Bool(ref r, m, SilverColumn.HeldUp); break;
                    case LocationField.HoldingUp: l.HoldingUp = Bool(ref r, m, SilverColumn.HoldingUp); break;
                    case LocationField.Date: l.Date = Timestamp(ref r, m, SilverColumn.FixTimestamp); break;
                }
            }
        }
    }

    /// <summary>fixCoordinates: [longitude, latitude]; anything but an array (or null) is a malformed longitude.</summary>
    private static void ReadCoordinates(ref Utf8JsonReader r, ref LocationRecord l, long[] m)
    {
        if (r.TokenType != JsonTokenType.StartArray)
        {
            if (r.TokenType != JsonTokenType.Null) m[SilverColumn.Longitude]++;
            r.Skip();
            return;
        }
        var position = 0;
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            switch (position++)
            {
                case 0: l.Longitude = Double(ref r, m, SilverColumn.Longitude); break;
                case 1: l.Latitude = Double(ref r, m, SilverColumn.Latitude); break;
                default: r.Skip(); break;
            }
        }
    }

    private const int NameBufferLength = 64;

    /// <summary>
    /// The property name at the reader without allocating a string: every round and location repeats the same dozen names, and
    /// a string per name was a large share of the JSON reader's time. Escaped or long names take the allocating path.
    /// </summary>
    private static ReadOnlySpan<char> NameOf(in Utf8JsonReader r, Span<char> buffer)
    {
        var raw = r.ValueSpan;
        if (r.ValueIsEscaped || raw.Length > buffer.Length) return r.GetString();
        return buffer[..Encoding.UTF8.GetChars(raw, buffer)];
    }

    /// <summary>Whether the object at the reader has only null or empty-string values (an unused slot); the reader does not move.</summary>
    private static bool IsPadding(Utf8JsonReader ahead)
    {
        while (ahead.Read() && ahead.TokenType == JsonTokenType.PropertyName)
        {
            ahead.Read();
            if (ahead.TokenType == JsonTokenType.Null) continue;
            if (ahead.TokenType == JsonTokenType.String && ahead.ValueSpan.IsEmpty) continue;
            return false;
        }
        return true;
    }

    /// <summary>
    /// Steps into MongoDB extended-JSON wrappers (<c>{"$oid": ..}</c>, <c>{"$date": ..}</c>, <c>{"$numberLong": ..}</c>...): the
    /// reader ends on the wrapped value. Returns how many wrappers it entered, for <see cref="LeaveWrappers"/>.
    /// </summary>
    private static int EnterWrappers(ref Utf8JsonReader r)
    {
        var entered = 0;
        while (r.TokenType == JsonTokenType.StartObject)
        {
            var ahead = r;
            if (!ahead.Read() || ahead.TokenType != JsonTokenType.PropertyName) return entered;
            var dollar = ahead.ValueIsEscaped ? ahead.GetString()!.StartsWith('$') : ahead.ValueSpan is [(byte)'$', ..];
            if (!dollar) return entered;
            ahead.Read();
            r = ahead;
            entered++;
        }
        return entered;
    }

    /// <summary>Skips the current value, then whatever else each entered wrapper holds, leaving the reader on the outermost's end.</summary>
    private static void LeaveWrappers(ref Utf8JsonReader r, int entered)
    {
        r.Skip();
        for (var i = 0; i < entered; i++)
        {
            while (r.Read() && r.TokenType != JsonTokenType.EndObject)
            {
                r.Read();
                r.Skip();
            }
        }
    }

    /// <summary>A string value's UTF-8 bytes, unescaped.</summary>
    private static ReadOnlySpan<byte> Utf8(ref Utf8JsonReader r) => r.ValueIsEscaped ? Encoding.UTF8.GetBytes(r.GetString()!) : r.ValueSpan;

    private static string? Text(ref Utf8JsonReader r, ReadOnlySpan<byte> json)
    {
        var entered = EnterWrappers(ref r);
        string? text;
        switch (r.TokenType)
        {
            case JsonTokenType.String: text = r.GetString() is { Length: > 0 } s ? s : null; break;
            case JsonTokenType.Null: text = null; break;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                var start = (int)r.TokenStartIndex;
                r.Skip();
                text = Encoding.UTF8.GetString(json[start..(int)r.BytesConsumed]);
                break;
            default: text = Encoding.UTF8.GetString(r.ValueSpan); break;
        }
        LeaveWrappers(ref r, entered);
        return text;
    }

    private static double? Double(ref Utf8JsonReader r, long[] m, int column)
    {
        var entered = EnterWrappers(ref r);
        double? value;
        switch (r.TokenType)
        {
            case JsonTokenType.Number when r.TryGetDouble(out var d) && double.IsFinite(d): value = d; break;
            case JsonTokenType.String: value = ValueParser.Double(Utf8(ref r), m, column); break;
            case JsonTokenType.Null: value = null; break;
            default: m[column]++; value = null; break;
        }
        LeaveWrappers(ref r, entered);
        return value;
    }

    private static int? Int(ref Utf8JsonReader r, long[] m, int column)
    {
        var entered = EnterWrappers(ref r);
        int? value;
        switch (r.TokenType)
        {
            case JsonTokenType.Number when r.TryGetInt32(out var i): value = i; break;
            case JsonTokenType.Number when r.TryGetDouble(out var d) && d == Math.Floor(d) && Math.Abs(d) <= int.MaxValue: value = (int)d; break;
            case JsonTokenType.String: value = ValueParser.Int(Utf8(ref r), m, column); break;
            case JsonTokenType.Null: value = null; break;
            default: m[column]++; value = null; break;
        }
        LeaveWrappers(ref r, entered);
        return value;
    }

    private static bool? Bool(ref Utf8JsonReader r, long[] m, int column)
    {
        var entered = EnterWrappers(ref r);
        bool? value;
        switch (r.TokenType)
        {
            case JsonTokenType.True: value = true; break;
            case JsonTokenType.False: value = false; break;
            case JsonTokenType.String: value = ValueParser.Bool(Utf8(ref r), m, column); break;
            case JsonTokenType.Number when r.TryGetInt32(out var i) && i is 0 or 1: value = i == 1; break;
            case JsonTokenType.Null: value = null; break;
            default: m[column]++; value = null; break;
        }
        LeaveWrappers(ref r, entered);
        return value;
    }

    private static long? Timestamp(ref Utf8JsonReader r, long[] m, int column)
    {
        var entered = EnterWrappers(ref r);
        long? value;
        switch (r.TokenType)
        {
            case JsonTokenType.String:
                var text = Utf8(ref r);
                value = long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var epochMs) ? epochMs * 1000 : ValueParser.Timestamp(text, m, column);
                break;
            // Canonical extended JSON: {"$date": {"$numberLong": "<ms since epoch>"}}, or a bare number of ms.
            case JsonTokenType.Number when r.TryGetInt64(out var ms): value = ms * 1000; break;
            case JsonTokenType.Null: value = null; break;
            default: m[column]++; value = null; break;
        }
        LeaveWrappers(ref r, entered);
        return value;
    }

    public async ValueTask DisposeAsync() => await _stream.DisposeAsync();
}

