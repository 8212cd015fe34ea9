namespace Lakehouse.Core.Tables;

/// <summary>A catalog refusal whose message is meant for the caller: a missing table, an existing name, a lost commit race.</summary>
public sealed class CatalogException(CatalogErrorKind kind, string message, Exception? inner = null) : UserFacingException(message, inner)
{
    public CatalogErrorKind Kind { get; } = kind;

    public static CatalogException NoSuchTable(TableIdentifier id) => new(CatalogErrorKind.NoSuchTable, $"Table does not exist: {id}");

    public static CatalogException NoSuchNamespace(string ns) => new(CatalogErrorKind.NoSuchNamespace, $"Namespace does not exist: {ns}");
}
