using Amazon.Runtime;

namespace Lakehouse.Core.Tables.Rest;

/// <summary>Signs every request of the REST catalog client with SigV4, with credentials fetched (and refreshed) for each request.</summary>
internal sealed class SigV4SigningHandler(AWSCredentials credentials, string region, string service, TimeProvider clock) : DelegatingHandler(new HttpClientHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var current = await credentials.GetCredentialsAsync();
        await SigV4Signer.SignAsync(request, current, region, service, clock.GetUtcNow().UtcDateTime);
        return await base.SendAsync(request, cancellationToken);
    }
}
