using System.Text.Json;
using Lakehouse.Core.Tables.Rest;

namespace TmLakehouse.Dashboard.IcebergRest;

/// <summary>Writes a <see cref="RestResponse"/>: its status, ETag and JSON body (none for HEAD).</summary>
internal sealed class RestResult(RestResponse response, bool headOnly) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var http = httpContext.Response;
        http.StatusCode = response.Status;
        if (response.ETag is not null) http.Headers.ETag = response.ETag;
        if (response.Body is null || headOnly) return;
        http.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(http.Body);
        response.Body.WriteTo(writer);
        await writer.FlushAsync(httpContext.RequestAborted);
    }
}
