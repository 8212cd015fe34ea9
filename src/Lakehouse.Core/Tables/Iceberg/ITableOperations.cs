using Lakehouse.Core.Objects;

namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>
/// The seam between an <see cref="IcebergTable"/> and the catalog that holds its pointer (as Iceberg Java's TableOperations):
/// read the current metadata, and move the pointer from a base to the next metadata as one compare-and-swap.
/// </summary>
internal interface ITableOperations
{
    TimeProvider Clock { get; }

    IObjectStore StoreOf(TableIdentifier id);

    /// <summary>Where the table's data files are staged locally before upload, and remote ones copied for reading.</summary>
    LocalStaging Staging { get; }

    /// <summary>The current metadata location and content, or null when the table does not exist.</summary>
    Task<(string Location, TableMetadata Metadata)?> ReadCurrentAsync(TableIdentifier id, CancellationToken cancellationToken);

    /// <summary>
    /// Commits <paramref name="next"/> if the table is still at <paramref name="baseLocation"/>; returns the committed state,
    /// or null when another writer moved the table first (the caller re-reads, re-applies and tries again).
    /// </summary>
    Task<(string Location, TableMetadata Metadata)?> CommitAsync(
        TableIdentifier id, string baseLocation, TableMetadata @base, TableMetadata next, CancellationToken cancellationToken);
}
