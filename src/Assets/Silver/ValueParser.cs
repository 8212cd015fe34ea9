using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace TmLakehouse.Assets.Silver;

/// <summary>Parses export values from UTF-8 text; an empty value is null, a value that does not parse is null and counted as malformed.</summary>
internal static class ValueParser
{
    private static readonly DateTime Epoch = DateTime.UnixEpoch;

    /// <summary>A finite number, surrounding spaces allowed (DATA_CONTRACT §3 accepted spellings).</summary>
    public static double? Double(ReadOnlySpan<byte> text, long[] malformed, int column)
    {
        if (text.IsEmpty) return null;
        if (Utf8Parser.TryParse(text, out double value, out var used) && used == text.Length && double.IsFinite(value)) return value;
        var trimmed = text.Trim(" \t"u8);
        if (!trimmed.IsEmpty && double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value)) return value;
        malformed[column]++;
        return null;
    }

    /// <summary>A whole number (12 or 12.0), surrounding spaces allowed.</summary>
    public static int? Int(ReadOnlySpan<byte> text, long[] malformed, int column)
    {
        if (text.IsEmpty) return null;
        if (Utf8Parser.TryParse(text, out int value, out var used) && used == text.Length) return value;
        // Some exports write whole numbers as 12.0.
        if (double.TryParse(text.Trim(" \t"u8), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) && Math.Abs(d) <= int.MaxValue)
            return (int)d;
        malformed[column]++;
        return null;
    }

    /// <summary>DATA_CONTRACT §3 accepted spellings: <c>true</c>/<c>false</c> in any case, or <c>1</c>/<c>0</c>.</summary>
    public static bool? Bool(ReadOnlySpan<byte> text, long[] malformed, int column)
    {
        if (text.IsEmpty) return null;
        if (Ascii.EqualsIgnoreCase(text, "true"u8) || text.SequenceEqual("1"u8)) return true;
        if (Ascii.EqualsIgnoreCase(text, "false"u8) || text.SequenceEqual("0"u8)) return false;
        malformed[column]++;
        return null;
    }

    /// <summary>An ISO-8601 instant as µs since the epoch (UTC); a value without an offset is taken as UTC.</summary>
    public static long? Timestamp(ReadOnlySpan<byte> text, long[] malformed, int column)
    {
        if (text.IsEmpty) return null;
        if (TryFastIso(text, out var micros)) return micros;
        Span<char> chars = stackalloc char[Math.Min(text.Length, 64)];
        if (text.Length <= 64 && Encoding.UTF8.TryGetChars(text, chars, out var n)
            && DateTimeOffset.TryParse(chars[..n], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            return (parsed.UtcTicks - Epoch.Ticks) / 10;
        malformed[column]++;
        return null;
    }

    public static string? String(ReadOnlySpan<byte> text) => text.IsEmpty ? null : Encoding.UTF8.GetString(text);

    /// <summary>The common shape <c>yyyy-MM-ddTHH:mm:ss[.f+]Z</c>, without allocating.</summary>
    private static bool TryFastIso(ReadOnlySpan<byte> s, out long micros)
    {
        micros = 0;
        if (s.Length < 20 || s[^1] != (byte)'Z' || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') return false;
        if (!Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)
            || !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || !Digits(s, 17, 2, out var second)) return false;
        long fractionMicros = 0;
        if (s.Length > 20)
        {
            if (s[19] != '.') return false;
            var digits = s.Length - 21;
            if (digits is < 1 or > 7 || !Digits(s, 20, digits, out var fraction)) return false;
            fractionMicros = fraction;
            for (var i = digits; i < 6; i++) fractionMicros *= 10;
            if (digits == 7) fractionMicros /= 10;
        }
        else if (s.Length != 20) return false;
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year < 1 ? 1 : year, month) || hour > 23 || minute > 59 || second > 59 || year < 1) return false;
        var date = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
        micros = (date.Ticks - Epoch.Ticks) / 10 + fractionMicros;
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var d = s[i] - (byte)'0';
            if ((uint)d > 9) return false;
            value = value * 10 + d;
        }
        return true;
    }
}
