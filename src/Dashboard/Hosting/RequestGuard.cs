using TmLakehouse.Dashboard.Web;

namespace TmLakehouse.Dashboard.Hosting;

/// <summary>
/// The first middleware: refuses a request whose Host is not this server's (DNS rebinding: a page of evil.example that
/// resolves to 127.0.0.1), and a change (POST, PUT, PATCH, DELETE) sent by a page of another site (CSRF: a foreign
/// Origin, or Sec-Fetch-Site other than same-origin). Clients that are not browsers send neither header and pass.
/// Answers 503 until <see cref="Open"/> is called, after the bound addresses were checked.
/// </summary>
internal sealed class RequestGuard(DashboardSettings settings)
{
    public const string HealthPath = "/healthz";
    public const string ReadyPath = "/readyz";
    private volatile HashSet<string>? _hosts;

    /// <summary>Starts serving: loopback names, the concrete hosts the server bound, and TM_ALLOWED_HOSTS are answered.</summary>
    public void Open(IEnumerable<string> boundUrls)
    {
        var hosts = new HashSet<string>(settings.AllowedHosts.Select(h => h.Trim('[', ']')), StringComparer.OrdinalIgnoreCase);
        foreach (var host in boundUrls.Select(ListenUrls.HostOf).OfType<string>())
            if (!ListenUrls.IsWildcard(host)) hosts.Add(host.Trim('[', ']'));
        _hosts = hosts;
    }

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (_hosts is not { } hosts)
        {
            await Refuse(context, 503, "Starting", "The server is starting; try again in a moment.");
            return;
        }
        // A probe may use any name (a pod IP, a load balancer's); the answer says nothing but "up".
        if (!context.Request.Path.Equals(HealthPath, StringComparison.Ordinal) && !context.Request.Path.Equals(ReadyPath, StringComparison.Ordinal) && !HostAllowed(context.Request.Host, hosts))
        {
            await Refuse(context, 400, "Host not allowed",
                $"This server does not answer to '{context.Request.Host.Host}': only loopback names and TM_ALLOWED_HOSTS are served.");
            return;
        }
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && !HttpMethods.IsOptions(context.Request.Method)
            && CrossSite(context) is { } why)
        {
            await Refuse(context, 403, "Cross-site request refused", $"A cross-site request may not change anything here ({why}).");
            return;
        }
        await next(context);
    }

    private static bool HostAllowed(HostString host, HashSet<string> allowed)
    {
        if (!host.HasValue) return true; // HTTP/1.0 without Host: no browser sends that, so no page can rebind it.
        var name = host.Host.Trim('[', ']');
        return ListenUrls.IsLoopbackHost(name) || allowed.Contains(name) || allowed.Contains("*");
    }

    /// <summary>Why a change request came from another site, or null when it did not (or when no browser sent it).</summary>
    private static string? CrossSite(HttpContext context)
    {
        var fetchSite = context.Request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Length > 0 && fetchSite is not ("same-origin" or "none")) return $"Sec-Fetch-Site: {fetchSite}";
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0) return null;
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var from) || from.Scheme is not ("http" or "https")) return $"Origin: {origin}";
        // Host and port decide, not the scheme: behind a proxy that ends TLS the page is https and the request here http.
        var host = context.Request.Host;
        var sameHost = from.Host.Trim('[', ']').Equals(host.Host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase);
        var samePort = from.IsDefaultPort ? host.Port is null or 80 or 443 : from.Port == host.Port;
        return sameHost && samePort ? null : $"Origin: {origin}";
    }

    private static Task Refuse(HttpContext context, int status, string title, string detail) =>
        (ErrorHandling.IsApi(context) ? ErrorHandling.Problem(status, title, detail) : Layout.Error(title, detail, status)).ExecuteAsync(context);
}
