namespace Lakehouse.Core.Instance;

/// <summary>
/// One object the lake stores (LANDING_AND_SPATIAL.md §2): where it is (<see cref="Layer"/> and <see cref="Key"/>), the target it
/// was landed for (<see cref="Partition"/>: a Bronze partition key, a spatial dataset), its size and SHA-256, the run that stored
/// it, its row or feature count, and where it came from (batch, uploader, intent, the manifest's metadata).
/// </summary>
public sealed record LedgerEntry(string Key, string Partition, long Size, string Sha256, string RunId, long RowCount, DateTimeOffset LandedAt)
{
    public long Id { get; init; }

    /// <summary>The layer whose bucket holds the object (<see cref="Objects.Layers"/>).</summary>
    public required string Layer { get; init; }

    /// <summary>One of <see cref="LedgerFormats.All"/> (the schema refuses any other).</summary>
    public required string Format { get; init; }

    /// <summary>The landing batch (the manifest's batch_id); null for files landed with `tmlake land`.</summary>
    public string? BatchId { get; init; }

    public string? Uploader { get; init; }

    /// <summary>The manifest's intent (ingest_rounds, ingest_vector, ...).</summary>
    public string? Intent { get; init; }

    /// <summary>The CRS of spatial content (e.g. EPSG:4326); null for tables without geometry.</summary>
    public string? Crs { get; init; }

    public LedgerBoundingBox? Bbox { get; init; }

    /// <summary>The manifest's <c>metadata</c> object as JSON text (<c>{}</c> when there was none).</summary>
    public string Metadata { get; init; } = "{}";
}
