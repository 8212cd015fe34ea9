using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace TmLakehouse.Dashboard.Hosting;

/// <summary>
/// Starts the web app and checks the addresses it actually bound: Kestrel also takes endpoints from the environment
/// (Kestrel__Endpoints__Http__Url), so a keyless server that ended up beyond loopback stops before it answers anything.
/// </summary>
public static class DashboardHost
{
    /// <summary>Starts the app; returns the bound URLs, or stops it and throws (exit 2) when the loopback rule is broken.</summary>
    public static async Task<IReadOnlyList<string>> StartAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        var settings = app.Services.GetRequiredService<DashboardSettings>();
        await app.StartAsync(cancellationToken);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        try
        {
            ListenUrls.RequireLoopbackWithoutKey(bound, settings.KeyRequired, "The server stopped before serving: Kestrel settings (e.g. Kestrel__Endpoints__Http__Url) bound it to");
        }
        catch
        {
            await app.StopAsync(CancellationToken.None);
            throw;
        }
        // Until now every request was answered 503: nothing is served before the check passed.
        app.Services.GetRequiredService<RequestGuard>().Open(bound);
        return bound;
    }
}
