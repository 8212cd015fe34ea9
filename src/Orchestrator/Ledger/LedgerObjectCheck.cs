using System.Globalization;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Objects;

namespace TmLakehouse.Orchestrator.Ledger;

/// <summary>Follows a ledger row to its object: both directions must link (the object's user metadata names the row's id).</summary>
public static class LedgerObjectCheck
{
    public const string InPlace = "in_place";
    public const string Missing = "missing";
    /// <summary>An object is at the key, but its metadata names another ledger row (or none), or its size differs.</summary>
    public const string Mismatch = "mismatch";

    public static async Task<string> CheckAsync(IObjectStoreProvider objects, LedgerEntry entry, CancellationToken cancellationToken)
    {
        var info = await objects.For(entry.Layer).StatAsync(entry.Key, cancellationToken);
        if (info is null) return Missing;
        return info.Size == entry.Size && info.Metadata.TryGetValue(LedgerObjectMetadata.LedgerId, out var id) &&
               id == entry.Id.ToString(CultureInfo.InvariantCulture)
            ? InPlace
            : Mismatch;
    }
}
