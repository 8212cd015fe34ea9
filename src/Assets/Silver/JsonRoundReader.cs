using System.Globalization;
using System.Text;
using System.Text.Json;
using TmLakehouse.Assets.Bronze;

namespace TmLakehouse.Assets.Silver;

/// <summary>
/// Reads a MongoDB JSON export (an array of rounds with nested locations, <c>{"$oid"}</c>/<c>{"$date"}</c> values) one round
/// element at a time (<see cref="JsonArrayElements"/>), never the whole file, reading each round's tokens straight into the
/// round record: no JsonDocument per round. The pilot's JSON course, through JsonSerializer's JsonElement stream, read at
/// 10 MB/s, 7× the per-row time of CSV.
/// </summary>
internal sealed class JsonRoundReader : IRoundReader
{
    private static readonly long[] Discard = new long[SilverColumn.Count + 1];

    private readonly SilverInput _input;
    private readonly SniffedStream _stream;
    private readonly JsonArrayElements _rounds;

    public JsonRoundReader(SilverInput input, SniffedStream stream)
    {
        _input = input;
        _stream = stream;
        _rounds = new JsonArrayElements(stream);
    }

    public long BytesRead => _stream.BytesRead;

    public async ValueTask<bool> ReadAsync(RoundRecord round, bool keysOnly, long[] malformed, CancellationToken cancellationToken)
    {
        var index = _rounds.Count;
        try
        {
            if (!await _rounds.MoveNextAsync(cancellationToken))
            {
                if (index == 0) throw new SilverInputException(_input.Name, null, null, "the file holds no rounds (an empty array).");
                return false;
            }
        }
        catch (JsonException e)
        {
            var reason = e.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd('.') + ".";
            throw new SilverInputException(_input.Name, e.LineNumber + 1, $"$[{index}]", reason, e);
        }
        catch (JsonArrayElements.NotAnArrayException e)
        {
            throw new SilverInputException(_input.Name, e.Line, "$[0]", "the JSON is not an array of rounds.", e);
        }
        if (_rounds.CurrentType != JsonTokenType.StartObject)
            throw new SilverInputException(_input.Name, _rounds.CurrentLine, $"$[{index}]", $"round {index + 1} is a JSON {JsonArrayElements.KindOf(_rounds.CurrentType)}, not an object.");
        round.Reset();
        round.Line = index + 1;
        round.FromJson = true;
        try
        {
            Fill(round, _rounds.Current.Span, keysOnly, keysOnly ? Discard : malformed);
        }
        catch (InvalidOperationException e) when (e.InnerException is DecoderFallbackException or ArgumentException || e.Message.Contains("UTF-8", StringComparison.Ordinal))
        {
            throw new SilverInputException(_input.Name, _rounds.CurrentLine, $"$[{index}]", "a string is not UTF-8 text (non-UTF-8 bytes).", e);
        }
        return true;
    }

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

