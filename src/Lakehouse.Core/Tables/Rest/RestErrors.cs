using System.Text.Json.Nodes;

namespace Lakehouse.Core.Tables.Rest;

/// <summary>The REST catalog's error model (<c>{"error": {"message", "type", "code"}}</c>) in both directions.</summary>
public static class RestErrors
{
    /// <summary>The response for an error a caller caused, or null for one that is the server's own fault.</summary>
    public static RestResponse? ToResponse(Exception exception) => exception switch
    {
        CatalogException c => Error(StatusOf(c.Kind), TypeOf(c.Kind), c.Message),
        _ => null,
    };

    public static RestResponse Error(int status, string type, string message) =>
        new(status, new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["code"] = status } });

    /// <summary>Turns an error response of a REST catalog server back into a <see cref="CatalogException"/>.</summary>
    internal static CatalogException FromResponse(int status, string? type, string message) => new(
        type switch
        {
            "NoSuchTableException" => CatalogErrorKind.NoSuchTable,
            "NoSuchNamespaceException" => CatalogErrorKind.NoSuchNamespace,
            "AlreadyExistsException" => CatalogErrorKind.AlreadyExists,
            "NamespaceNotEmptyException" => CatalogErrorKind.NamespaceNotEmpty,
            "CommitFailedException" => CatalogErrorKind.CommitFailed,
            "UnsupportedOperationException" => CatalogErrorKind.Unsupported,
            _ when status == 404 && message.Contains("namespace", StringComparison.OrdinalIgnoreCase) => CatalogErrorKind.NoSuchNamespace,
            _ when status == 404 => CatalogErrorKind.NoSuchTable,
            _ when status == 409 => CatalogErrorKind.CommitFailed,
            _ when status == 406 => CatalogErrorKind.Unsupported,
            _ => CatalogErrorKind.BadRequest,
        }, message);

    private static int StatusOf(CatalogErrorKind kind) => kind switch
    {
        CatalogErrorKind.NoSuchTable or CatalogErrorKind.NoSuchNamespace => 404,
        CatalogErrorKind.AlreadyExists or CatalogErrorKind.NamespaceNotEmpty or CatalogErrorKind.CommitFailed => 409,
        CatalogErrorKind.Unsupported => 406,
        _ => 400,
    };

    private static string TypeOf(CatalogErrorKind kind) => kind switch
    {
        CatalogErrorKind.NoSuchTable => "NoSuchTableException",
        CatalogErrorKind.NoSuchNamespace => "NoSuchNamespaceException",
        CatalogErrorKind.AlreadyExists => "AlreadyExistsException",
        CatalogErrorKind.NamespaceNotEmpty => "NamespaceNotEmptyException",
        CatalogErrorKind.CommitFailed => "CommitFailedException",
        CatalogErrorKind.Unsupported => "UnsupportedOperationException",
        _ => "BadRequestException",
    };
}
