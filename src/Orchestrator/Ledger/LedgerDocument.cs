using System.Text.Json;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Objects;

namespace TmLakehouse.Orchestrator.Ledger;

/// <summary>
/// The ISO 19115-style document of a spatial dataset (LANDING_AND_SPATIAL §4) a ledger row belongs to: the row itself when it is the
/// document, else the document row of the same dataset target, batch and run. Null for rows without one (Bronze files).
/// </summary>
public static class LedgerDocument
{
    public static async Task<(LedgerEntry Row, JsonElement Document)?> FindAsync(ILedgerStore ledger, IObjectStoreProvider objects, LedgerEntry entry,
        CancellationToken cancellationToken)
    {
        var row = entry.Format == LedgerFormats.Iso19115 ? entry
            : entry.Layer != Layers.Spatial || entry.BatchId is null ? null
            : (await ledger.QueryAsync(new LedgerQuery { BatchId = entry.BatchId, Layer = Layers.Spatial, RunId = entry.RunId, Limit = 1000 }, cancellationToken))
                .FirstOrDefault(e => e.Format == LedgerFormats.Iso19115 && e.Partition == entry.Partition);
        if (row is null) return null;
        try
        {
            await using var stream = await objects.For(row.Layer).OpenReadAsync(row.Key, cancellationToken);
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
            return (row, document.RootElement.Clone());
        }
        catch (ObjectNotFoundException)
        {
            return null;
        }
    }
}
