using System.Security.Cryptography;
using System.Text;

namespace TmLakehouse.Dashboard.Hosting;

/// <summary>Checks the API key: a bearer token for the REST API, a cookie (set by the login form) for the dashboard and Hangfire.</summary>
internal sealed class ApiKeyCheck(DashboardSettings settings)
{
    public const string CookieName = "tm_key";

    public bool KeyRequired => settings.KeyRequired;

    public bool BearerAllows(HttpContext context)
    {
        if (!settings.KeyRequired) return true;
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) && Same(header["Bearer ".Length..].Trim(), settings.ApiKey!);
    }

    public bool CookieAllows(HttpContext context) =>
        !settings.KeyRequired || (context.Request.Cookies.TryGetValue(CookieName, out var value) && Same(value, CookieValue()));

    /// <summary>Reads that show data (quarantined rows) take the key either way: a script's bearer token or a browser's login cookie.</summary>
    public bool DataReadAllows(HttpContext context) => BearerAllows(context) || CookieAllows(context);

    public bool Matches(string? key) => settings.KeyRequired && key is not null && Same(key, settings.ApiKey!);

    /// <summary>The cookie holds a hash of the key, not the key itself.</summary>
    public string CookieValue() => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("tmlake-dashboard:" + settings.ApiKey)));

    private static bool Same(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(a)), SHA256.HashData(Encoding.UTF8.GetBytes(b)));
}
