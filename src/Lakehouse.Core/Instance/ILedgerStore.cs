namespace Lakehouse.Core.Instance;

/// <summary>The ingest ledger: every file landed, by content hash, so landing the same bytes twice is a no-op.</summary>
public interface ILedgerStore
{
    /// <summary>Adds an entry and returns its id.</summary>
    Task<long> AddAsync(LedgerEntry entry, CancellationToken cancellationToken);
    Task<LedgerEntry?> FindAsync(string partition, string sha256, CancellationToken cancellationToken);
    Task<IReadOnlyList<LedgerEntry>> ListAsync(string? partition, CancellationToken cancellationToken);
}
