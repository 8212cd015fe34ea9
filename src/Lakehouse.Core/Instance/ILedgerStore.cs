namespace Lakehouse.Core.Instance;

/// <summary>
/// The ledger: every object the lake stores, one row each. If it is not in the ledger, it does not exist in the lake. The same
/// content (SHA-256) for the same target is kept once, so landing it again is a no-op that finds the first row.
/// </summary>
public interface ILedgerStore
{
    /// <summary>
    /// Adds an entry and returns its id; when the same content is already there for the same target, the id of that row.
    /// Throws <see cref="LedgerKeyTakenException"/> when another content already holds the entry's (layer, key).
    /// </summary>
    Task<long> AddAsync(LedgerEntry entry, CancellationToken cancellationToken);

    Task<LedgerEntry?> FindAsync(string partition, string sha256, CancellationToken cancellationToken);

    Task<LedgerEntry?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>Every row of one target (all rows when null), oldest first.</summary>
    Task<IReadOnlyList<LedgerEntry>> ListAsync(string? partition, CancellationToken cancellationToken);

    /// <summary>Rows matching the query, newest first, at most its limit.</summary>
    Task<IReadOnlyList<LedgerEntry>> QueryAsync(LedgerQuery query, CancellationToken cancellationToken);

    /// <summary>Removes an entry (a landing whose object put failed must not stay claimed); removing a missing id is not an error.</summary>
    Task DeleteAsync(long id, CancellationToken cancellationToken);
}
