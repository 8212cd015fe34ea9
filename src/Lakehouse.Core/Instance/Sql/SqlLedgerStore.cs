using System.Data.Common;

namespace Lakehouse.Core.Instance.Sql;

/// <summary>The ingest ledger; one entry per (partition, content hash).</summary>
internal sealed class SqlLedgerStore(SqlDialect dialect) : ILedgerStore
{
    private const string Columns = "id, key, partition_key, size, sha256, run_id, row_count, landed_at";

    /// <summary>Two landers racing on the same bytes both get the id of the one entry that was kept.</summary>
    public async Task<long> AddAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.BeginWriteAsync(dialect, cancellationToken);
        session.Queue(new SqlStatement(
                "INSERT INTO ingest_ledger (key, partition_key, size, sha256, run_id, row_count, landed_at) " +
                "VALUES (@key, @partition, @size, @sha, @run, @rows, @at) ON CONFLICT (partition_key, sha256) DO NOTHING;")
            .Text("key", entry.Key).Text("partition", entry.Partition).Long("size", entry.Size).Text("sha", entry.Sha256)
            .Text("run", entry.RunId).Long("rows", entry.RowCount).Time("at", entry.LandedAt));
        long id = 0;
        await session.CommitAsync(
            [SqlStatement.Read("SELECT id FROM ingest_ledger WHERE partition_key = @partition AND sha256 = @sha;").Text("partition", entry.Partition).Text("sha", entry.Sha256)],
            async (_, reader) => id = await reader.ReadAsync(cancellationToken) ? reader.GetInt64(0) : 0);
        return id;
    }

    public async Task<LedgerEntry?> FindAsync(string partition, string sha256, CancellationToken cancellationToken)
    {
        var found = await ReadAsync(SqlStatement.Read($"SELECT {Columns} FROM ingest_ledger WHERE partition_key = @partition AND sha256 = @sha;")
            .Text("partition", partition).Text("sha", sha256), cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public Task<IReadOnlyList<LedgerEntry>> ListAsync(string? partition, CancellationToken cancellationToken) =>
        ReadAsync(SqlStatement.Read($"SELECT {Columns} FROM ingest_ledger WHERE (@partition IS NULL OR partition_key = @partition) ORDER BY id;")
            .Text("partition", partition), cancellationToken);

    public async Task DeleteAsync(long id, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.BeginWriteAsync(dialect, cancellationToken);
        session.Queue(new SqlStatement("DELETE FROM ingest_ledger WHERE id = @id;").Long("id", id));
        await session.CommitAsync();
    }

    private async Task<IReadOnlyList<LedgerEntry>> ReadAsync(SqlStatement read, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.OpenAsync(dialect, cancellationToken);
        return await session.ListAsync(read, Read);
    }

    private LedgerEntry Read(DbDataReader r) =>
        new(r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetString(4), r.GetString(5), r.GetInt64(6), dialect.ReadTime(r, 7)) { Id = r.GetInt64(0) };
}
