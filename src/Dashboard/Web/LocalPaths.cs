namespace TmLakehouse.Dashboard.Web;

/// <summary>
/// Which redirect targets stay on this server: a path that starts with one '/'. Browsers read '\' as '/' and drop tabs and
/// newlines, so <c>/\evil.example</c> or <c>/&#9;/evil.example</c> would leave it; those, and their percent-encoded forms, are refused.
/// </summary>
internal static class LocalPaths
{
    public static bool IsLocal(string? target) =>
        !string.IsNullOrEmpty(target) && Safe(target) && Safe(Decoded(target));

    /// <summary><paramref name="target"/> when it is local, else the dashboard's home.</summary>
    public static string OrHome(string? target) => IsLocal(target) ? target! : "/";

    private static bool Safe(string path) =>
        path.StartsWith('/') && !path.StartsWith("//", StringComparison.Ordinal) && !path.Contains('\\') && !path.Any(c => char.IsControl(c) || char.IsWhiteSpace(c));

    private static string Decoded(string path)
    {
        try
        {
            return Uri.UnescapeDataString(path);
        }
        catch (UriFormatException)
        {
            return "";
        }
    }
}
