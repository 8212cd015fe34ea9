using System.Net;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Pages;

/// <summary>Issue 10 defects 4 and 8 at the sign-in form: it redirects only to local paths, and it cannot be used to guess the key quickly.</summary>
public sealed class LoginTests : IAsyncLifetime
{
    private const string Key = "s3cret-key";
    private DashboardServer _server = null!;

    public async Task InitializeAsync() => _server = await DashboardServer.StartAsync(new ToyLakehouse(), Key);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("/\\evil.example/x")]
    [InlineData("//evil.example/x")]
    [InlineData("\\\\evil.example/x")]
    [InlineData("https://evil.example/x")]
    [InlineData("/\t/evil.example/x")]
    [InlineData("/%5Cevil.example")]
    [InlineData("evil.example")]
    public async Task Login_WithAReturnUrlOffThisServer_GoesToTheDashboardHome(string returnUrl)
    {
        using var client = new FormClient(_server.BaseAddress);

        var login = await client.PostFormAsync("login", "login", [new("key", Key), new("returnUrl", returnUrl)]);

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/", login.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("/assets/silver/toy")]
    [InlineData("/runs?status=failed&asset=silver/toy")]
    public async Task Login_WithALocalReturnUrl_GoesBackThere(string returnUrl)
    {
        using var client = new FormClient(_server.BaseAddress);

        var login = await client.PostFormAsync("login", "login", [new("key", Key), new("returnUrl", returnUrl)]);

        Assert.Equal(returnUrl, login.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task FiftyWrongKeys_AreCutOffAfterFive_With429AndRetryAfter()
    {
        using var client = new FormClient(_server.BaseAddress);
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 50; i++)
        {
            last = await client.PostFormAsync("login", "login", [new("key", $"guess-{i}"), new("returnUrl", "/")]);
            statuses.Add(last.StatusCode);
        }

        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(45, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.True(last!.Headers.RetryAfter is not null, "a 429 says when to try again");
        // While cut off, even the right key is not tried: guessing gains nothing by hitting it.
        var right = await client.PostFormAsync("login", "login", [new("key", Key), new("returnUrl", "/")]);
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.Null(right.Headers.Location);
    }
}
