using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace TmLakehouse.Assets.Silver;

/// <summary>
/// Reads a MongoDB JSON export (an array of rounds with nested locations, <c>{"$oid"}</c>/<c>{"$date"}</c> values) one round
/// element at a time, never the whole file.
/// </summary>
internal sealed class JsonRoundReader : IRoundReader
{
    private static readonly long[] Discard = new long[SilverColumn.Count + 1];
    private readonly SilverInput _input;
    private readonly SniffedStream _stream;
    private readonly IAsyncEnumerator<JsonElement> _rounds;
    private long _index;

    public JsonRoundReader(SilverInput input, SniffedStream stream, CancellationToken cancellationToken)
    {
        _input = input;
        _stream = stream;
        _rounds = JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(stream, cancellationToken: cancellationToken).GetAsyncEnumerator(cancellationToken);
    }

    public long BytesRead => _stream.BytesRead;

    public async ValueTask<bool> ReadAsync(RoundRecord round, bool keysOnly, long[] malformed, CancellationToken cancellationToken)
    {
        bool more;
        try
        {
            more = await _rounds.MoveNextAsync();
        }
        catch (JsonException e)
        {
            var reason = e.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd('.') + ".";
            if (e.Message.Contains("cannot be converted", StringComparison.Ordinal) || e.Message.Contains("could not be converted", StringComparison.Ordinal))
                reason = "the JSON is not an array of rounds.";
            // The exception's path is relative to the element being read; the element's position is ours to tell.
            throw new SilverInputException(_input.Name, e.LineNumber + 1, $"$[{_index}]", reason, e);
        }
        if (!more)
        {
            if (_index == 0) throw new SilverInputException(_input.Name, null, null, "the file holds no rounds (an empty array).");
            return false;
        }
        var element = _rounds.Current;
        _index++;
        if (element.ValueKind != JsonValueKind.Object)
            throw new SilverInputException(_input.Name, null, $"$[{_index - 1}]", $"round {_index} is a JSON {element.ValueKind}, not an object.");
        round.Reset();
        round.Line = _index;
        round.FromJson = true;
        Fill(round, element, keysOnly ? Discard : malformed);
        return true;
    }

    private static void Fill(RoundRecord round, JsonElement element, long[] m)
    {
        Span<char> name = stackalloc char[NameBufferLength];
        foreach (var property in element.EnumerateObject())
        {
            var v = property.Value;
            if (property.NameEquals("locations"u8))
            {
                if (v.ValueKind == JsonValueKind.Array) ReadLocations(round, v, m);
                continue;
            }
            if (!ExportFields.TryRound(NameOf(property, name), out var field)) continue;
            switch (field)
            {
                case RoundField.Id: round.Id = Text(v); break;
                case RoundField.Course: round.Course = Text(v); break;
                case RoundField.Device: round.Device = Text(v); break;
                case RoundField.GoalName: round.GoalName = Text(v); break;
                case RoundField.StartTime: round.StartTime = Timestamp(v, m, SilverColumn.RoundStartTime); break;
                case RoundField.EndTime: round.EndTime = Timestamp(v, m, SilverColumn.RoundEndTime); break;
                case RoundField.StartHole: round.StartHole = Int(v, m, SilverColumn.StartHole); break;
                case RoundField.StartSection: round.StartSection = Int(v, m, SilverColumn.StartSection); break;
                case RoundField.EndSection: round.EndSection = Int(v, m, SilverColumn.EndSection); break;
                case RoundField.CurrentNine: round.CurrentNine = Int(v, m, SilverColumn.CurrentNine); break;
                case RoundField.IsNineHole: round.IsNineHole = Bool(v, m, SilverColumn.IsNineHole); break;
                case RoundField.Complete: round.IsComplete = Bool(v, m, SilverColumn.IsComplete); break;
                case RoundField.IsIncomplete: round.IsIncomplete = Bool(v, m, SilverColumn.IsIncomplete); break;
                case RoundField.IsSecondary: round.IsSecondary = Bool(v, m, SilverColumn.IsSecondary); break;
                case RoundField.IsAutoAssigned: round.IsAutoAssigned = Bool(v, m, SilverColumn.IsAutoAssigned); break;
                case RoundField.GoalTime: round.GoalTime = Double(v, m, SilverColumn.GoalTime); break;
                case RoundField.GoalTimeFraction: round.GoalTimeFraction = Double(v, m, SilverColumn.GoalTimeFraction); break;
                case RoundField.CaptureLogs:
                    if (v.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) break;
                    var text = v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText();
                    if (string.IsNullOrEmpty(text)) break;
                    round.CaptureLogs = text;
                    round.CaptureLogEntries = v.ValueKind == JsonValueKind.Array ? v.GetArrayLength() : CaptureLogs.CountEntries(Encoding.UTF8.GetBytes(text), m);
                    break;
            }
        }
    }

    private static void ReadLocations(RoundRecord round, JsonElement locations, long[] m)
    {
        Span<char> name = stackalloc char[NameBufferLength];
        var index = 0;
        foreach (var item in locations.EnumerateArray())
        {
            var slot = index++;
            if (item.ValueKind != JsonValueKind.Object || IsPadding(item)) { round.PaddingSlots++; continue; }
            ref var l = ref round.AddLocation(slot);
            foreach (var property in item.EnumerateObject())
            {
                var v = property.Value;
                if (property.NameEquals("fixCoordinates"u8))
                {
                    if (v.ValueKind != JsonValueKind.Array) { if (v.ValueKind != JsonValueKind.Null) m[SilverColumn.Longitude]++; continue; }
                    var length = v.GetArrayLength();
                    if (length > 0) l.Longitude = Double(v[0], m, SilverColumn.Longitude);
                    if (length > 1) l.Latitude = Double(v[1], m, SilverColumn.Latitude);
                    continue;
                }
                if (!ExportFields.TryLocation(NameOf(property, name), out var field)) continue;
                switch (field)
                {
                    case LocationField.Hole: l.Hole = Int(v, m, SilverColumn.HoleNumber); break;
                    case LocationField.HoleSection: l.HoleSection = Int(v, m, SilverColumn.HoleSection); break;
                    case LocationField.SectionNumber: l.SectionNumber = Int(v, m, SilverColumn.SectionNumber); break;
                    case LocationField.StartTime: l.StartSeconds = Double(v, m, SilverColumn.FixTimestamp); break;
                    case LocationField.Longitude: l.Longitude = Double(v, m, SilverColumn.Longitude); break;
                    case LocationField.Latitude: l.Latitude = Double(v, m, SilverColumn.Latitude); break;
                    case LocationField.Pace: l.Pace = Double(v, m, SilverColumn.Pace); break;
                    case LocationField.PaceGap: l.PaceGap = Double(v, m, SilverColumn.PaceGap); break;
                    case LocationField.PositionalGap: l.PositionalGap = Double(v, m, SilverColumn.PositionalGap); break;
                    case LocationField.Battery: l.Battery = Double(v, m, SilverColumn.Battery); break;
                    case LocationField.IsProjected: l.IsProjected = Bool(v, m, SilverColumn.IsProjected); break;
                    case LocationField.IsProblem: l.IsProblem = Bool(v, m, SilverColumn.IsProblem); break;
                    case LocationField.IsCache: l.IsCache = Bool(v, m, SilverColumn.IsCache); break;
                    case LocationField.HeldUp: l.HeldUp = Bool(v, m, SilverColumn.HeldUp); break;
                    case LocationField.HoldingUp: l.HoldingUp = Bool(v, m, SilverColumn.HoldingUp); break;
                    case LocationField.Date: l.Date = Timestamp(v, m, SilverColumn.FixTimestamp); break;
                }
            }
        }
    }

    private const int NameBufferLength = 64;

    /// <summary>
    /// A property's name without allocating a string: every round and location repeats the same dozen names, and a string per
    /// name was a large share of the JSON reader's time. Escaped or long names take the allocating path.
    /// </summary>
    private static ReadOnlySpan<char> NameOf(JsonProperty property, Span<char> buffer)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (raw.Length > buffer.Length || raw.Contains((byte)'\\')) return property.Name;
        return buffer[..Encoding.UTF8.GetChars(raw, buffer)];
    }

    private static bool IsPadding(JsonElement location)
    {
        foreach (var property in location.EnumerateObject())
            if (property.Value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
                && !(property.Value.ValueKind == JsonValueKind.String && property.Value.ValueEquals(""u8))) return false;
        return true;
    }

    /// <summary>The value inside a MongoDB extended-JSON wrapper (<c>{"$oid": ..}</c>, <c>{"$date": ..}</c>, <c>{"$numberLong": ..}</c>...).</summary>
    private static JsonElement Unwrap(JsonElement v)
    {
        while (v.ValueKind == JsonValueKind.Object)
        {
            using var properties = v.EnumerateObject();
            if (!properties.MoveNext() || !properties.Current.Name.StartsWith('$')) return v;
            v = properties.Current.Value;
        }
        return v;
    }

    private static string? Text(JsonElement v)
    {
        v = Unwrap(v);
        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString() is { Length: > 0 } s ? s : null,
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => v.GetRawText(),
        };
    }

    private static double? Double(JsonElement v, long[] m, int column)
    {
        v = Unwrap(v);
        switch (v.ValueKind)
        {
            case JsonValueKind.Number when v.TryGetDouble(out var d) && double.IsFinite(d): return d;
            case JsonValueKind.String: return ValueParser.Double(Encoding.UTF8.GetBytes(v.GetString()!), m, column);
            case JsonValueKind.Null or JsonValueKind.Undefined: return null;
            default: m[column]++; return null;
        }
    }

    private static int? Int(JsonElement v, long[] m, int column)
    {
        v = Unwrap(v);
        switch (v.ValueKind)
        {
            case JsonValueKind.Number when v.TryGetInt32(out var i): return i;
            case JsonValueKind.Number when v.TryGetDouble(out var d) && d == Math.Floor(d) && Math.Abs(d) <= int.MaxValue: return (int)d;
            case JsonValueKind.String: return ValueParser.Int(Encoding.UTF8.GetBytes(v.GetString()!), m, column);
            case JsonValueKind.Null or JsonValueKind.Undefined: return null;
            default: m[column]++; return null;
        }
    }

    private static bool? Bool(JsonElement v, long[] m, int column)
    {
        v = Unwrap(v);
        switch (v.ValueKind)
        {
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            case JsonValueKind.String: return ValueParser.Bool(Encoding.UTF8.GetBytes(v.GetString()!), m, column);
            case JsonValueKind.Number when v.TryGetInt32(out var i) && i is 0 or 1: return i == 1;
            case JsonValueKind.Null or JsonValueKind.Undefined: return null;
            default: m[column]++; return null;
        }
    }

    private static long? Timestamp(JsonElement v, long[] m, int column)
    {
        v = Unwrap(v);
        switch (v.ValueKind)
        {
            case JsonValueKind.String when long.TryParse(v.GetString(), System.Globalization.NumberStyles.AllowLeadingSign, null, out var epochMs): return epochMs * 1000;
            case JsonValueKind.String: return ValueParser.Timestamp(Encoding.UTF8.GetBytes(v.GetString()!), m, column);
            // Canonical extended JSON: {"$date": {"$numberLong": "<ms since epoch>"}}, or a bare number of ms.
            case JsonValueKind.Number when v.TryGetInt64(out var ms): return ms * 1000;
            case JsonValueKind.Null or JsonValueKind.Undefined: return null;
            default: m[column]++; return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _rounds.DisposeAsync();
        await _stream.DisposeAsync();
    }
}
