using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Amazon.Runtime.Credentials;
using Lakehouse.Core.Config;

namespace Lakehouse.Core.Tables.Rest;

/// <summary>
/// The REST catalog client's HTTP side: asks <c>GET /v1/config</c> once for the URL prefix, sends JSON with the configured
/// authentication (bearer or SigV4), and turns error responses into <see cref="CatalogException"/>s.
/// </summary>
internal sealed class RestCatalogHttp
{
    private readonly HttpClient _http;
    private readonly RestCatalogOptions _options;
    private readonly SemaphoreSlim _configLock = new(1, 1);
    private string? _root;

    public RestCatalogHttp(RestCatalogOptions options, TimeProvider clock)
    {
        _options = options;
        HttpMessageHandler handler = options.Auth == CatalogAuthKind.SigV4
            ? new SigV4SigningHandler(options.Credentials ?? DefaultAWSCredentialsIdentityResolver.GetCredentials(null), options.SigningRegion, options.SigningService, clock)
            : new HttpClientHandler();
        _http = new HttpClient(handler) { Timeout = TimeSpan.FromMinutes(2) };
        if (options.Auth == CatalogAuthKind.Bearer)
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
    }

    /// <summary>Sends a request to <c>{uri}/v1/{prefix}/{path}</c>; null for a 204 or 404 the caller asked to see as null.</summary>
    public async Task<JsonObject?> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken, bool notFoundIsNull = false)
    {
        var root = await RootAsync(cancellationToken);
        using var request = new HttpRequestMessage(method, root + path);
        if (body is not null) request.Content = new ByteArrayContent(RestJson.Bytes(body)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
        using var response = await SendRawAsync(request, cancellationToken);
        if (notFoundIsNull && response.StatusCode == HttpStatusCode.NotFound) return null;
        return await ReadAsync(response, $"{method} {path}", cancellationToken);
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new CatalogException(CatalogErrorKind.BadRequest, $"The REST catalog at {_options.BaseUri} cannot be reached: {e.Message}", e);
        }
    }

    private static async Task<JsonObject?> ReadAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (response.IsSuccessStatusCode) return bytes.Length == 0 ? null : RestJson.ParseObject(bytes, $"answer to {what}");
        string? type = null;
        var message = $"{what} answered {(int)response.StatusCode} {response.ReasonPhrase}";
        try
        {
            if (bytes.Length > 0 && JsonNode.Parse(bytes) is JsonObject o && o["error"] is JsonObject error)
            {
                type = error["type"]?.GetValue<string>();
                message = error["message"]?.GetValue<string>() ?? message;
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not the error model (a proxy's page): the status line is all there is.
        }
        if ((int)response.StatusCode is 401 or 403) throw new CatalogException(CatalogErrorKind.BadRequest, $"The REST catalog refused the credentials: {message}");
        if ((int)response.StatusCode >= 500) throw new InvalidOperationException($"The REST catalog failed ({type ?? "server error"}): {message}");
        throw RestErrors.FromResponse((int)response.StatusCode, type, message);
    }

    /// <summary><c>{uri}/v1/</c> plus the prefix the server's config names for the warehouse (ending with '/').</summary>
    private async Task<string> RootAsync(CancellationToken cancellationToken)
    {
        if (_root is not null) return _root;
        await _configLock.WaitAsync(cancellationToken);
        try
        {
            if (_root is not null) return _root;
            var v1 = _options.BaseUri.AbsoluteUri.TrimEnd('/') + "/v1/";
            var query = _options.Warehouse is null ? "" : "?warehouse=" + Uri.EscapeDataString(_options.Warehouse);
            using var request = new HttpRequestMessage(HttpMethod.Get, v1 + "config" + query);
            using var response = await SendRawAsync(request, cancellationToken);
            var config = await ReadAsync(response, "GET /v1/config", cancellationToken) ?? [];
            var prefix = (config["overrides"] as JsonObject)?["prefix"]?.GetValue<string>() ?? (config["defaults"] as JsonObject)?["prefix"]?.GetValue<string>();
            _root = string.IsNullOrEmpty(prefix) ? v1 : v1 + prefix.Trim('/') + "/";
            return _root;
        }
        finally
        {
            _configLock.Release();
        }
    }
}
