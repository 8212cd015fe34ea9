namespace Lakehouse.Core.Partitions;

/// <summary>
/// What a partition value may hold. Values end up in object keys and folder names (bronze/course_id=x/ingest_date=d/), so a
/// value that is a path (<c>a/b</c>, <c>..</c>) or holds control characters could write outside its partition.
/// </summary>
public static class KeyPart
{
    /// <summary>Why <paramref name="value"/> cannot be a value of <paramref name="dimension"/>, or null when it can.</summary>
    public static string? Problem(string dimension, string value)
    {
        if (value.Contains('/') || value.Contains('\\'))
            return $"'{Printable(value)}' is not a valid value of '{dimension}': a partition value cannot hold '/' or '\\'.";
        if (value.Contains("..", StringComparison.Ordinal))
            return $"'{Printable(value)}' is not a valid value of '{dimension}': a partition value cannot hold '..'.";
        if (value.Any(char.IsControl))
            return $"'{Printable(value)}' is not a valid value of '{dimension}': a partition value cannot hold control characters.";
        return null;
    }

    /// <summary>Throws <see cref="FormatException"/> when <see cref="Problem"/> finds one; returns the value otherwise.</summary>
    public static string Check(string dimension, string value) =>
        Problem(dimension, value) is { } problem ? throw new FormatException(problem) : value;

    /// <summary>The text with control characters shown as escapes: an error message stays one line on a terminal.</summary>
    public static string Printable(string value) =>
        string.Concat(value.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
