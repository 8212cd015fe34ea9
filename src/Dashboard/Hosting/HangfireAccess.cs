using Hangfire.Dashboard;

namespace TmLakehouse.Dashboard.Hosting;

/// <summary>Lets into the Hangfire dashboard loopback clients when no key is configured, and key-cookie holders when one is.</summary>
internal sealed class HangfireAccess(ApiKeyCheck keys) : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        var http = context.GetHttpContext();
        if (keys.KeyRequired) return keys.CookieAllows(http);
        return http.Connection.RemoteIpAddress is { } ip && System.Net.IPAddress.IsLoopback(ip);
    }
}
