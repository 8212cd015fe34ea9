using System.Text.Json;
using Lakehouse.Core.Instance;

namespace TmLakehouse.Orchestrator.Ledger;

/// <summary>
/// A ledger row as `tmlake ledger --json` and <c>GET /api/ledger</c> show it (the same JSON in both): the manifest's metadata as an
/// object, the bbox as [minx, miny, maxx, maxy], and where the object is (its location as other engines name it).
/// </summary>
public sealed record LedgerView(long Id, string Layer, string Key, string Location, string Target, string? BatchId, string? Uploader, string? Intent,
    string RunId, string Sha256, long Size, string Format, string? Crs, long RowCount, IReadOnlyList<double>? Bbox, DateTimeOffset CreatedAt,
    JsonElement Metadata)
{
    /// <summary>Whether the object is in its bucket carrying this row's id (<see cref="LedgerObjectCheck"/>); only `show` reads it.</summary>
    public string? Object { get; init; }

    /// <summary>The ISO 19115-style document of the spatial dataset the row belongs to (<see cref="LedgerDocument"/>); only `show` reads it.</summary>
    public JsonElement? Document { get; init; }

    /// <summary>The ledger id of that document.</summary>
    public long? DocumentId { get; init; }

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static LedgerView Of(LedgerEntry e, string location)
    {
        using var metadata = JsonDocument.Parse(e.Metadata);
        return new(e.Id, e.Layer, e.Key, location, e.Partition, e.BatchId, e.Uploader, e.Intent, e.RunId, e.Sha256, e.Size, e.Format, e.Crs,
            e.RowCount, e.Bbox is { } b ? [b.MinX, b.MinY, b.MaxX, b.MaxY] : null, e.LandedAt, metadata.RootElement.Clone());
    }
}
