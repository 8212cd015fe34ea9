using Microsoft.Data.Sqlite;
using static Lakehouse.Core.Instance.Sqlite.SqliteCommands;

namespace Lakehouse.Core.Instance.Sqlite;

/// <summary>The ingest ledger in SQLite; one entry per (partition, content hash).</summary>
internal sealed class SqliteLedgerStore(SqliteDatabase database) : ILedgerStore
{
    private const string Columns = "id, key, partition_key, size, sha256, run_id, row_count, landed_at";

    /// <summary>Two landers racing on the same bytes both get the id of the one entry that was kept.</summary>
    public Task<long> AddAsync(LedgerEntry entry, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await connection.ExecuteAsync(
                "INSERT INTO ingest_ledger (key, partition_key, size, sha256, run_id, row_count, landed_at) " +
                "VALUES ($key, $partition, $size, $sha, $run, $rows, $at) ON CONFLICT (partition_key, sha256) DO NOTHING;",
                cancellationToken,
                ("$key", entry.Key), ("$partition", entry.Partition), ("$size", entry.Size), ("$sha", entry.Sha256),
                ("$run", entry.RunId), ("$rows", entry.RowCount), ("$at", Ticks(entry.LandedAt)));
            await using var find = connection.Command(
                "SELECT id FROM ingest_ledger WHERE partition_key = $partition AND sha256 = $sha;", ("$partition", entry.Partition), ("$sha", entry.Sha256));
            return (long)(await find.ExecuteScalarAsync(cancellationToken))!;
        }, cancellationToken);

    public async Task<LedgerEntry?> FindAsync(string partition, string sha256, CancellationToken cancellationToken)
    {
        var found = await ReadAsync($"SELECT {Columns} FROM ingest_ledger WHERE partition_key = $partition AND sha256 = $sha;", partition, sha256, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public Task<IReadOnlyList<LedgerEntry>> ListAsync(string? partition, CancellationToken cancellationToken) =>
        ReadAsync($"SELECT {Columns} FROM ingest_ledger WHERE ($partition IS NULL OR partition_key = $partition) ORDER BY id;", partition, null, cancellationToken);

    public Task DeleteAsync(long id, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await connection.ExecuteAsync("DELETE FROM ingest_ledger WHERE id = $id;", cancellationToken, ("$id", id));
            return true;
        }, cancellationToken);

    private async Task<IReadOnlyList<LedgerEntry>> ReadAsync(string sql, string? partition, string? sha256, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(sql, ("$partition", partition), ("$sha", sha256));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<LedgerEntry>();
        while (await reader.ReadAsync(cancellationToken)) entries.Add(Read(reader));
        return entries;
    }

    private static LedgerEntry Read(SqliteDataReader r) =>
        new(r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetString(4), r.GetString(5), r.GetInt64(6), Time(r, 7)) { Id = r.GetInt64(0) };
}
