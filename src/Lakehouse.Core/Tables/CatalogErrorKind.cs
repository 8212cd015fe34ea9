namespace Lakehouse.Core.Tables;

/// <summary>What went wrong in a catalog call, named after the Iceberg REST error types each maps to.</summary>
public enum CatalogErrorKind
{
    /// <summary>404 NoSuchTableException.</summary>
    NoSuchTable,
    /// <summary>404 NoSuchNamespaceException.</summary>
    NoSuchNamespace,
    /// <summary>409 AlreadyExistsException: the table or namespace exists.</summary>
    AlreadyExists,
    /// <summary>409 NamespaceNotEmptyException: a namespace to drop still holds tables.</summary>
    NamespaceNotEmpty,
    /// <summary>409 CommitFailedException: a requirement no longer holds because another writer moved the table.</summary>
    CommitFailed,
    /// <summary>400 BadRequestException: the request cannot be done as asked.</summary>
    BadRequest,
    /// <summary>406 UnsupportedOperationException.</summary>
    Unsupported,
}
