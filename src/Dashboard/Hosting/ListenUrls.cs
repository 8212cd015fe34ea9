using System.Globalization;
using System.Net;
using TmLakehouse.Orchestrator.Cli;

namespace TmLakehouse.Dashboard.Hosting;

/// <summary>
/// Which URLs `tmlake serve` binds — --urls, else --host/--port, else ASP.NET's ASPNETCORE_URLS or ASPNETCORE_HTTP_PORTS, else
/// http://127.0.0.1:3000 — and the rule they all obey: without TM_API_KEY, loopback only.
/// </summary>
public static class ListenUrls
{
    public const string DefaultHost = "127.0.0.1";
    public const int DefaultPort = 3000;

    /// <summary>The URLs to bind and where they came from (for errors); checks each is a URL, not the loopback rule.</summary>
    public static (IReadOnlyList<string> Urls, string Source) Resolve(string? urls, string? host, int? port, IReadOnlyDictionary<string, string> variables)
    {
        if (!string.IsNullOrWhiteSpace(urls))
        {
            if (host is not null || port is not null) throw new CliUserException("Give either --urls or --host/--port, not both.");
            return (Split(urls, "--urls"), "--urls");
        }
        if (host is not null || port is not null)
            return ([UrlOf(string.IsNullOrWhiteSpace(host) ? DefaultHost : host.Trim(), port ?? DefaultPort)], "--host");
        if (variables.GetValueOrDefault("ASPNETCORE_URLS") is { } fromEnvironment && !string.IsNullOrWhiteSpace(fromEnvironment))
            return (Split(fromEnvironment, "ASPNETCORE_URLS"), "ASPNETCORE_URLS");
        if (variables.GetValueOrDefault("ASPNETCORE_HTTP_PORTS") is { } ports && !string.IsNullOrWhiteSpace(ports))
            return (ports.Split([';', ','], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 65535
                    ? $"http://*:{n}"
                    : throw new CliUserException($"ASPNETCORE_HTTP_PORTS: '{p}' is not a TCP port.")).ToList(), "ASPNETCORE_HTTP_PORTS");
        return ([UrlOf(DefaultHost, DefaultPort)], "the default");
    }

    /// <summary>Refuses (exit 2) any URL beyond loopback when no key is set; <paramref name="source"/> says where the URLs came from.</summary>
    public static void RequireLoopbackWithoutKey(IEnumerable<string> urls, bool keyRequired, string source)
    {
        if (keyRequired) return;
        var exposed = urls.Where(u => !IsLoopback(u)).ToList();
        if (exposed.Count > 0)
            throw new CliUserException(
                $"{source} {string.Join(", ", exposed)}: that reaches beyond this machine and no TM_API_KEY is set. Set TM_API_KEY first " +
                "(changes and data reads then need it), or listen on loopback only (127.0.0.1, [::1], localhost).");
    }

    /// <summary>True for localhost and loopback IP literals; wildcards (*, +, 0.0.0.0, [::]) and other names are not.</summary>
    public static bool IsLoopback(string url) => HostOf(url) is { } host && IsLoopbackHost(host);

    public static bool IsLoopbackHost(string host)
    {
        host = host.Trim('[', ']');
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }

    /// <summary>True for the hosts that mean "every interface".</summary>
    public static bool IsWildcard(string host) =>
        host is "*" or "+" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)));

    /// <summary>The host of a binding URL (http://+:80 included), or null when it is not one.</summary>
    public static string? HostOf(string url)
    {
        try
        {
            return BindingAddress.Parse(url.Trim()).Host;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static IReadOnlyList<string> Split(string urls, string source)
    {
        var list = urls.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var url in list)
            if (HostOf(url) is null || !url.StartsWith("http", StringComparison.OrdinalIgnoreCase))
                throw new CliUserException($"{source}: '{url}' is not a URL to listen on, e.g. http://127.0.0.1:3000.");
        return list;
    }

    private static string UrlOf(string host, int port)
    {
        if (port is < 0 or > 65535) throw new CliUserException($"--port {port} is not a TCP port.");
        var bracketed = host.Contains(':') && !host.StartsWith('[') ? $"[{host}]" : host;
        return $"http://{bracketed}:{port.ToString(CultureInfo.InvariantCulture)}";
    }
}
