using System.Text.Json.Nodes;

namespace Lakehouse.Core.Tables.Rest;

/// <summary>What a REST catalog call answers: a status, an optional JSON body and an optional ETag; the web host writes it out.</summary>
public sealed record RestResponse(int Status, JsonNode? Body = null, string? ETag = null)
{
    public static RestResponse Ok(JsonNode body, string? etag = null) => new(200, body, etag);

    public static RestResponse NoContent { get; } = new(204);
}
