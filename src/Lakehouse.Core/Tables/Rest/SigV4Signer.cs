using System.Web;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using Amazon.S3;

namespace Lakehouse.Core.Tables.Rest;

/// <summary>
/// Signs an HTTP request with AWS Signature Version 4 by handing it to the AWS SDK's own signer (AWS4Signer), the way Glue's
/// Iceberg REST endpoint and S3 Tables expect: the SDK canonicalizes and signs, this class only translates the request.
/// </summary>
internal static class SigV4Signer
{
    public static async Task SignAsync(HttpRequestMessage request, ImmutableCredentials credentials, string region, string service, DateTime signedAtUtc)
    {
        var uri = request.RequestUri ?? throw new ArgumentException("The request has no URI.", nameof(request));
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync();
        var sdk = new DefaultRequest(new SignedRequest(), service)
        {
            HttpMethod = request.Method.Method,
            Endpoint = new Uri(uri.GetLeftPart(UriPartial.Authority)),
            ResourcePath = Uri.UnescapeDataString(uri.AbsolutePath),
            Content = body,
            // Every service but S3 signs the path encoded twice.
            UseDoubleEncoding = service != "s3",
            // Query parameters stay in the URL (the SDK would otherwise sign a POST's parameters as a form body).
            UseQueryString = true,
        };
        var query = HttpUtility.ParseQueryString(uri.Query);
        foreach (var name in query.AllKeys.OfType<string>()) sdk.Parameters[name] = query[name];
        if (request.Content?.Headers.ContentType is { } contentType) sdk.Headers["Content-Type"] = contentType.ToString();
        // Every header the request carries is signed (as the SDK signs its own requests); the transport adds none after this.
        foreach (var (name, values) in request.Headers)
            if (!name.Equals("Authorization", StringComparison.OrdinalIgnoreCase)) sdk.Headers[name] = string.Join(",", values);
        if (credentials.UseToken) sdk.Headers["X-Amz-Security-Token"] = credentials.Token;
        var config = new AmazonS3Config { AuthenticationRegion = region, AuthenticationServiceName = service };
        var result = new AWS4Signer().SignRequest(sdk, config, null, credentials.AccessKey, credentials.SecretKey, signedAtUtc);
        foreach (var (name, value) in sdk.Headers)
        {
            if (!name.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase)) continue;
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }
        request.Headers.Remove("Authorization");
        request.Headers.TryAddWithoutValidation("Authorization", result.ForAuthorizationHeader);
    }

    /// <summary>The SDK's request type needs an originating service request; a signature needs nothing from it.</summary>
    private sealed class SignedRequest : AmazonWebServiceRequest;
}
