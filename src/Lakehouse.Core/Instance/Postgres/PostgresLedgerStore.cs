using Npgsql;
using static Lakehouse.Core.Instance.Postgres.PostgresCommands;

namespace Lakehouse.Core.Instance.Postgres;

/// <summary>The ingest ledger in PostgreSQL; one entry per (partition, content hash).</summary>
internal sealed class PostgresLedgerStore(NpgsqlDataSource dataSource) : ILedgerStore
{
    private const string Columns = "id, key, partition_key, size, sha256, run_id, row_count, landed_at";

    /// <summary>Two landers racing on the same bytes both get the id of the one entry that was kept.</summary>
    public Task<long> AddAsync(LedgerEntry entry, CancellationToken cancellationToken) =>
        dataSource.InTransactionAsync(async connection =>
        {
            await connection.ExecuteAsync(
                "INSERT INTO ingest_ledger (key, partition_key, size, sha256, run_id, row_count, landed_at) " +
                "VALUES (@key, @partition, @size, @sha, @run, @rows, @at) ON CONFLICT (partition_key, sha256) DO NOTHING;",
                cancellationToken,
                Text("key", entry.Key), Text("partition", entry.Partition), Long("size", entry.Size), Text("sha", entry.Sha256),
                Text("run", entry.RunId), Long("rows", entry.RowCount), Time("at", entry.LandedAt));
            await using var find = connection.Command(
                "SELECT id FROM ingest_ledger WHERE partition_key = @partition AND sha256 = @sha;", Text("partition", entry.Partition), Text("sha", entry.Sha256));
            return (long)(await find.ExecuteScalarAsync(cancellationToken))!;
        }, cancellationToken);

    public async Task<LedgerEntry?> FindAsync(string partition, string sha256, CancellationToken cancellationToken)
    {
        var found = await ReadAsync($"SELECT {Columns} FROM ingest_ledger WHERE partition_key = @partition AND sha256 = @sha;",
            [Text("partition", partition), Text("sha", sha256)], cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public Task<IReadOnlyList<LedgerEntry>> ListAsync(string? partition, CancellationToken cancellationToken) =>
        ReadAsync($"SELECT {Columns} FROM ingest_ledger WHERE (@partition IS NULL OR partition_key = @partition) ORDER BY id;",
            [Text("partition", partition)], cancellationToken);

    public Task DeleteAsync(long id, CancellationToken cancellationToken) =>
        dataSource.InTransactionAsync(async connection =>
        {
            await connection.ExecuteAsync("DELETE FROM ingest_ledger WHERE id = @id;", cancellationToken, Long("id", id));
            return true;
        }, cancellationToken);

    private async Task<IReadOnlyList<LedgerEntry>> ReadAsync(string sql, NpgsqlParameter[] parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<LedgerEntry>();
        while (await reader.ReadAsync(cancellationToken))
            entries.Add(new LedgerEntry(reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4), reader.GetString(5),
                reader.GetInt64(6), ReadTime(reader, 7)) { Id = reader.GetInt64(0) });
        return entries;
    }
}
