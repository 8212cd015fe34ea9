namespace Lakehouse.Core.Instance;

/// <summary>The ingest ledger: every file landed, by content hash, so landing the same bytes twice is a no-op.</summary>
public interface ILedgerStore
{
    /// <summary>Adds an entry and returns its id.</summary>
    Task<long> AddAsync(LedgerEntry entry, CancellationToken cancellationToken);
    Task<LedgerEntry?> FindAsync(string partition, string sha256, CancellationToken cancellationToken);
    Task<IReadOnlyList<LedgerEntry>> ListAsync(string? partition, CancellationToken cancellationToken);

    /// <summary>Removes an entry (a landing whose object put failed must not stay claimed); removing a missing id is not an error.</summary>
    Task DeleteAsync(long id, CancellationToken cancellationToken);
}
