using System.Globalization;
using Lakehouse.Core.Instance;

namespace TmLakehouse.Assets.Spatial.Output;

/// <summary>
/// The ledger side of the objects one spatial batch stores (LANDING_AND_SPATIAL §2): each row is written before its object is put,
/// as Bronze landing does, and the object carries the row's id in its user metadata, so both directions link on every object
/// store. When the batch fails, <see cref="TakeBackAsync"/> removes the rows it added.
/// </summary>
internal sealed class SpatialLedger(ILedgerStore ledger, SpatialBatch batch)
{
    private readonly List<LedgerEntry> _added = [];

    /// <summary>The rows this batch added, in the order they were written.</summary>
    public IReadOnlyList<LedgerEntry> Added
    {
        get { lock (_added) return _added.ToList(); }
    }

    /// <summary>Writes the row of an object about to be put and returns the user metadata the object must carry.</summary>
    public async Task<IReadOnlyDictionary<string, string>> RecordAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        entry = entry with { BatchId = batch.BatchId, Uploader = batch.Uploader, Intent = batch.Intent, Metadata = batch.Metadata };
        // A batch run again re-writes its keys (the document, a COG) and writes its table files anew: the rows of what the key
        // held before, and of the same bytes under an earlier file, describe objects this put replaces.
        var superseded = (await ledger.QueryAsync(new LedgerQuery { KeyPrefix = entry.Key, Layer = entry.Layer, Limit = 1000 }, cancellationToken))
            .Where(e => e.Key == entry.Key).ToList();
        if (await ledger.FindAsync(entry.Partition, entry.Sha256, cancellationToken) is { } same) superseded.Add(same);
        foreach (var old in superseded.DistinctBy(e => e.Id)) await ledger.DeleteAsync(old.Id, cancellationToken);
        entry = entry with { Id = await ledger.AddAsync(entry, cancellationToken) };
        lock (_added) _added.Add(entry);
        return new Dictionary<string, string>
        {
            [LedgerObjectMetadata.LedgerId] = entry.Id.ToString(CultureInfo.InvariantCulture),
            [LedgerObjectMetadata.Sha256] = entry.Sha256,
        };
    }

    /// <summary>Removes the rows this batch added (its objects were not all stored, or its commit failed).</summary>
    public async Task TakeBackAsync()
    {
        foreach (var entry in Added) await ledger.DeleteAsync(entry.Id, CancellationToken.None);
    }
}
