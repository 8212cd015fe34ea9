using System.Text;
using System.Text.RegularExpressions;

namespace TmLakehouse.Dashboard.Web;

/// <summary>Turns the quarantine report paths inside an error or log message into links to their report pages, encoding the rest.</summary>
internal static partial class QuarantineLinks
{
    /// <param name="text">The message.</param>
    /// <param name="storeLocation">Where the quarantine store lives (file:///…/tm-quarantine/ or s3://…/), so a full location maps back to its key.</param>
    public static string Linkify(string? text, string storeLocation)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var html = new StringBuilder();
        var at = 0;
        foreach (Match m in ReportPath().Matches(text))
        {
            var path = m.Value;
            var key = path.StartsWith(storeLocation, StringComparison.Ordinal) ? path[storeLocation.Length..] : path;
            if (QuarantineIds.KeyOf(QuarantineIds.Of(key)) is null) continue;
            html.Append(Html.E(text[at..m.Index])).Append($"<a class=\"report\" href=\"/quarantine/{QuarantineIds.Of(key)}\"><code>{Html.E(path)}</code></a>");
            at = m.Index + m.Length;
        }
        return html.Append(Html.E(text[at..])).ToString();
    }

    [GeneratedRegex(@"[^\s'""()<>,;]*run_id=[A-Za-z0-9_-]+/report\.json")]
    private static partial Regex ReportPath();
}
