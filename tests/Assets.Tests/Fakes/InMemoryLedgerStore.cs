using Lakehouse.Core.Instance;

namespace TmLakehouse.Assets.Tests.Fakes;

/// <summary>A ledger kept in a list, for tests that do not need the SQL stores.</summary>
internal sealed class InMemoryLedgerStore : ILedgerStore
{
    private readonly List<LedgerEntry> _entries = [];
    private long _nextId = 1;

    public IReadOnlyList<LedgerEntry> Entries { get { lock (_entries) return _entries.ToList(); } }

    public Task<long> AddAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        lock (_entries)
        {
            var id = _nextId++;
            _entries.Add(entry with { Id = id });
            return Task.FromResult(id);
        }
    }

    public Task<LedgerEntry?> FindAsync(string partition, string sha256, CancellationToken cancellationToken)
    {
        lock (_entries) return Task.FromResult(_entries.FirstOrDefault(e => e.Partition == partition && e.Sha256 == sha256));
    }

    public Task<IReadOnlyList<LedgerEntry>> ListAsync(string? partition, CancellationToken cancellationToken)
    {
        lock (_entries)
            return Task.FromResult<IReadOnlyList<LedgerEntry>>(_entries.Where(e => partition is null || e.Partition == partition).ToList());
    }

    public Task<LedgerEntry?> GetAsync(long id, CancellationToken cancellationToken)
    {
        lock (_entries) return Task.FromResult(_entries.FirstOrDefault(e => e.Id == id));
    }

    public Task<IReadOnlyList<LedgerEntry>> QueryAsync(LedgerQuery query, CancellationToken cancellationToken)
    {
        lock (_entries)
            return Task.FromResult<IReadOnlyList<LedgerEntry>>(_entries
                .Where(e => (query.BatchId is null || e.BatchId == query.BatchId) && (query.Layer is null || e.Layer == query.Layer) &&
                            (query.RunId is null || e.RunId == query.RunId) && (query.KeyPrefix is null || e.Key.StartsWith(query.KeyPrefix, StringComparison.Ordinal)))
                .OrderByDescending(e => e.Id).Take(query.Limit).ToList());
    }

    public Task DeleteAsync(long id, CancellationToken cancellationToken)
    {
        lock (_entries) _entries.RemoveAll(e => e.Id == id);
        return Task.CompletedTask;
    }
}
