using System.Net;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Pages;

/// <summary>Materialize without a session goes through sign-in and comes back with the same partitions (asset page) or assets (catalog, graph) ticked.</summary>
public sealed class SignInSelectionTests : IAsyncLifetime
{
    private const string Key = "s3cret-key";
    private const string Chosen = "course_id=beta,ingest_date=2025-06-02";
    private DashboardServer _server = null!;

    public async Task InitializeAsync() => _server = await DashboardServer.StartAsync(new ToyLakehouse(), Key);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Materialize_WithoutASession_SignsInAndComesBackWithThePartitionTicked()
    {
        using var client = new FormClient(_server.BaseAddress);
        Assert.Contains("<a href=\"/login\" id=\"sign-in\">Sign in</a>", await client.PageAsync("assets/silver/toy"));

        var refused = await client.PostFormAsync("assets/silver/toy", "actions/materialize", [new("asset", "silver/toy"), new("mode", "chosen"), new("partition", Chosen)]);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        var login = refused.Headers.Location!.OriginalString;
        var returnUrl = Uri.UnescapeDataString(login[(login.IndexOf("returnUrl=", StringComparison.Ordinal) + "returnUrl=".Length)..]);
        Assert.Equal($"/assets/silver/toy?partition={Uri.EscapeDataString(Chosen)}", returnUrl);

        var signedIn = await client.PostFormAsync(login.TrimStart('/'), "login", [new("key", Key), new("returnUrl", returnUrl)]);
        Assert.Equal(returnUrl, signedIn.Headers.Location?.OriginalString);
        var page = await client.PageAsync(returnUrl.TrimStart('/'));
        Assert.Contains($"value=\"{Chosen}\" checked>", WebUtility.HtmlDecode(page));
        Assert.DoesNotContain("value=\"course_id=alpha,ingest_date=2025-06-01\" checked", WebUtility.HtmlDecode(page));
    }

    [Theory]
    [InlineData("catalog?q=toy", "/catalog?q=toy")]
    [InlineData("?q=toy", "/?q=toy")]
    public async Task MaterializeASelection_WithoutASession_SignsInAndComesBackToThatPageWithTheAssetsTicked(string pagePath, string from)
    {
        using var client = new FormClient(_server.BaseAddress);
        var form = await client.PageAsync(pagePath);
        Assert.Contains($"name=\"from\" value=\"{from}\"", WebUtility.HtmlDecode(form));

        var refused = await client.PostFormAsync(pagePath, "actions/materialize",
            [new("from", from), new("mode", "all"), new("asset", "bronze/toy_raw"), new("asset", "gold/toy_summary")]);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        var login = refused.Headers.Location!.OriginalString;
        var returnUrl = Uri.UnescapeDataString(login[(login.IndexOf("returnUrl=", StringComparison.Ordinal) + "returnUrl=".Length)..]);
        Assert.Equal($"{from}&select=bronze%2Ftoy_raw&select=gold%2Ftoy_summary", returnUrl);

        var signedIn = await client.PostFormAsync(login.TrimStart('/'), "login", [new("key", Key), new("returnUrl", returnUrl)]);
        Assert.Equal(returnUrl, signedIn.Headers.Location?.OriginalString);
        var page = WebUtility.HtmlDecode(await client.PageAsync(returnUrl.TrimStart('/')));
        Assert.Contains("value=\"bronze/toy_raw\" checked", page);
        Assert.Contains("value=\"gold/toy_summary\" checked", page);
        Assert.DoesNotContain("value=\"silver/toy\" checked", page);
        Assert.Empty(await _server.Runtime.Instance.Runs.ListRunsAsync(new Lakehouse.Core.Instance.RunQuery(), CancellationToken.None));
    }
}
