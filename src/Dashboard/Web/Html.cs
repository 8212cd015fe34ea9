using System.Globalization;
using System.Text.Encodings.Web;

namespace TmLakehouse.Dashboard.Web;

/// <summary>Encodes text for HTML (element content and quoted attributes) and formats values the same way on every page.</summary>
internal static class Html
{
    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    /// <summary>Encodes a path segment list for a URL, keeping '/' between the parts of an asset key.</summary>
    public static string PathOf(string key) => string.Join('/', key.Split('/').Select(Uri.EscapeDataString));

    public static string Q(string? value) => Uri.EscapeDataString(value ?? "");

    public static string Time(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "-";

    public static string Duration(DateTimeOffset? start, DateTimeOffset? end) =>
        start is { } s && end is { } e ? $"{(e - s).TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s" : "-";

    public static string Number(double value) => value.ToString(value == Math.Floor(value) ? "#,0" : "#,0.###", CultureInfo.InvariantCulture);

    public static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    public static string Badge(string status) => $"<span class=\"badge s-{E(status)}\">{E(status)}</span>";
}
