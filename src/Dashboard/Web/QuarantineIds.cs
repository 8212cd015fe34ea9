using System.Buffers.Text;
using System.Text;
using Lakehouse.Core.Quality;

namespace TmLakehouse.Dashboard.Web;

/// <summary>URL-safe ids of quarantine reports: the report key in base64url, so keys with '/' and '=' fit in one path segment.</summary>
internal static class QuarantineIds
{
    public static string Of(string reportKey) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(reportKey));

    /// <summary>The report key, or null when the id is not one this server made.</summary>
    public static string? KeyOf(string id)
    {
        try
        {
            var key = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(id));
            return key.EndsWith("/" + QuarantineWriter.ReportFile, StringComparison.Ordinal) && !key.Contains("..", StringComparison.Ordinal) ? key : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
