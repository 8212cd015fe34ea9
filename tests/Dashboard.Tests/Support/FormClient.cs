using System.Net;
using System.Text.RegularExpressions;

namespace Dashboard.Tests.Support;

/// <summary>A browser-like client without script: keeps cookies, reads a page's antiforgery token and posts its forms.</summary>
internal sealed partial class FormClient(Uri baseAddress) : IDisposable
{
    private readonly HttpClient _client = new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = baseAddress };

    /// <summary>Headers sent with every request, e.g. the Origin of a page on another site.</summary>
    public System.Net.Http.Headers.HttpRequestHeaders Headers => _client.DefaultRequestHeaders;

    public Task<HttpResponseMessage> GetAsync(string path) => _client.GetAsync(path);

    public async Task<string> PageAsync(string path)
    {
        var response = await _client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode}\n{html}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        return html;
    }

    /// <summary>Loads <paramref name="page"/> for its antiforgery token, then posts the fields to <paramref name="action"/>.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string page, string action, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var token = TokenPattern().Match(await PageAsync(page)).Groups[1].Value;
        Assert.NotEmpty(token);
        return await _client.PostAsync(action, new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", WebUtility.HtmlDecode(token)))));
    }

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
