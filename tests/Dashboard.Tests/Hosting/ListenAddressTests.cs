using System.Net;
using System.Net.Sockets;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Hosting;

/// <summary>
/// Issue 10 defect 3 with the real `tmlake serve`: a keyless server serves on loopback only, whichever way the address comes
/// (--host, --urls, ASPNETCORE_URLS, or Kestrel's own configuration through the environment) — checked on the addresses it
/// actually bound — and ASP.NET's --urls / ASPNETCORE_URLS are accepted under that rule.
/// </summary>
public sealed class ListenAddressTests
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(90);

    private static async Task AssertRefusedAsync(ServeProcess serve, string address, int port)
    {
        var banner = await serve.ServingOrExitedAsync(Startup);
        var reachable = ServeProcess.NonLoopbackAddress() is { } ip && await ConnectsAsync(ip, port);
        Assert.True(banner is null, $"a keyless server served on {address} ({(reachable ? "reachable from the network" : "bound")}): {banner}\n{serve}");
        Assert.True(serve.ExitCode == 2, $"exit {serve.ExitCode}\n{serve}");
        var line = Assert.Single(serve.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains(address, line, StringComparison.Ordinal);
        Assert.Contains("TM_API_KEY", line, StringComparison.Ordinal);
        Assert.DoesNotContain("please report", serve.Error, StringComparison.Ordinal);
    }

    private static async Task<bool> ConnectsAsync(IPAddress address, int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(address, port).WaitAsync(TimeSpan.FromSeconds(2));
            return true;
        }
        catch (Exception e) when (e is SocketException or TimeoutException)
        {
            return false;
        }
    }

    [Fact]
    public async Task KestrelEndpointOnAllInterfaces_FromTheEnvironment_WithoutAKey_IsRefused()
    {
        var port = ServeProcess.FreePort();
        using var serve = ServeProcess.Start([], new Dictionary<string, string> { ["Kestrel__Endpoints__Http__Url"] = $"http://0.0.0.0:{port}" });

        await AssertRefusedAsync(serve, $"0.0.0.0:{port}", port);
    }

    [Theory]
    [InlineData("http://0.0.0.0:{0}", "0.0.0.0")]
    [InlineData("http://+:{0}", "+")]
    [InlineData("http://127.0.0.1:{0};http://*:{0}", "*")]
    public async Task AspNetCoreUrlsBeyondLoopback_WithoutAKey_IsRefused(string urls, string address)
    {
        var port = ServeProcess.FreePort();
        using var serve = ServeProcess.Start([], new Dictionary<string, string> { ["ASPNETCORE_URLS"] = string.Format(System.Globalization.CultureInfo.InvariantCulture, urls, port) });

        await AssertRefusedAsync(serve, address, port);
    }

    [Fact]
    public async Task UrlsOption_BeyondLoopback_WithoutAKey_IsRefused()
    {
        var port = ServeProcess.FreePort();
        using var serve = ServeProcess.Start(["--urls", $"http://0.0.0.0:{port}"], new Dictionary<string, string>());

        await AssertRefusedAsync(serve, "0.0.0.0", port);
    }

    [Fact]
    public async Task UrlsOptionAndAspNetCoreUrls_OnLoopback_AreWhereTheServerListens()
    {
        var (first, second) = (ServeProcess.FreePort(), ServeProcess.FreePort());
        using var byOption = ServeProcess.Start(["--urls", $"http://127.0.0.1:{first}"], new Dictionary<string, string>());
        using var byVariable = ServeProcess.Start([], new Dictionary<string, string> { ["ASPNETCORE_URLS"] = $"http://localhost:{second}" });

        Assert.Contains($"http://127.0.0.1:{first}", await byOption.ServingOrExitedAsync(Startup) ?? byOption.ToString());
        Assert.Contains($"http://localhost:{second}", await byVariable.ServingOrExitedAsync(Startup) ?? byVariable.ToString());
        using var client = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"http://127.0.0.1:{first}/static/site.css")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"http://127.0.0.1:{second}/static/site.css")).StatusCode);
    }

    [Fact]
    public async Task AllInterfaces_WithAKey_Serves_AndSaysWhichHostNamesItAnswers()
    {
        var port = ServeProcess.FreePort();
        using var serve = ServeProcess.Start([], new Dictionary<string, string> { ["ASPNETCORE_URLS"] = $"http://0.0.0.0:{port}", ["TM_API_KEY"] = "k" });

        var banner = await serve.ServingOrExitedAsync(Startup);

        Assert.True(banner is not null, serve.ToString());
        Assert.Contains($"0.0.0.0:{port}", banner, StringComparison.Ordinal);
        Assert.Contains("TM_ALLOWED_HOSTS", serve.Output, StringComparison.Ordinal);
        using var client = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"http://127.0.0.1:{port}/static/site.css")).StatusCode);
    }
}
