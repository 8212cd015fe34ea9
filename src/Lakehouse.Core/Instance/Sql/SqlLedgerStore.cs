using System.Data.Common;
using System.Text.Json;

namespace Lakehouse.Core.Instance.Sql;

/// <summary>The ledger table (migration 0010); one row per lake object and per (target, content hash).</summary>
internal sealed class SqlLedgerStore(SqlDialect dialect) : ILedgerStore
{
    private const string Columns =
        "id, key, target, size, sha256, run_id, row_count, created_at, layer, format, batch_id, uploader, intent, crs, bbox, metadata";

    /// <summary>Two landers racing on the same bytes both get the id of the one entry that was kept.</summary>
    public async Task<long> AddAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.BeginWriteAsync(dialect, cancellationToken);
        session.Queue(new SqlStatement(
                "INSERT INTO ledger (layer, key, target, batch_id, uploader, intent, run_id, sha256, size, format, crs, row_count, bbox, metadata, created_at) " +
                "VALUES (@layer, @key, @target, @batch, @uploader, @intent, @run, @sha, @size, @format, @crs, @rows, @bbox, @metadata, @at) ON CONFLICT DO NOTHING;")
            .Text("layer", entry.Layer).Text("key", entry.Key).Text("target", entry.Partition).Text("batch", entry.BatchId).Text("uploader", entry.Uploader)
            .Text("intent", entry.Intent).Text("run", entry.RunId).Text("sha", entry.Sha256).Long("size", entry.Size).Text("format", entry.Format)
            .Text("crs", entry.Crs).Long("rows", entry.RowCount).Json("bbox", BboxJson(entry.Bbox)).Json("metadata", entry.Metadata).Time("at", entry.LandedAt));
        long id = 0;
        await session.CommitAsync(
            [SqlStatement.Read("SELECT id FROM ledger WHERE target = @target AND sha256 = @sha;").Text("target", entry.Partition).Text("sha", entry.Sha256)],
            async (_, reader) => id = await reader.ReadAsync(cancellationToken) ? reader.GetInt64(0) : 0);
        // Nothing for this content and target, yet the insert was refused: the key holds other content.
        return id != 0 ? id : throw new LedgerKeyTakenException(entry.Layer, entry.Key);
    }

    public async Task<LedgerEntry?> FindAsync(string partition, string sha256, CancellationToken cancellationToken)
    {
        var found = await ReadAsync(SqlStatement.Read($"SELECT {Columns} FROM ledger WHERE target = @target AND sha256 = @sha;")
            .Text("target", partition).Text("sha", sha256), cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public async Task<LedgerEntry?> GetAsync(long id, CancellationToken cancellationToken)
    {
        var found = await ReadAsync(SqlStatement.Read($"SELECT {Columns} FROM ledger WHERE id = @id;").Long("id", id), cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public Task<IReadOnlyList<LedgerEntry>> ListAsync(string? partition, CancellationToken cancellationToken) =>
        ReadAsync(SqlStatement.Read($"SELECT {Columns} FROM ledger WHERE (@target IS NULL OR target = @target) ORDER BY id;")
            .Text("target", partition), cancellationToken);

    public Task<IReadOnlyList<LedgerEntry>> QueryAsync(LedgerQuery query, CancellationToken cancellationToken) =>
        ReadAsync(SqlStatement.Read(
                $"SELECT {Columns} FROM ledger WHERE (@batch IS NULL OR batch_id = @batch) AND (@layer IS NULL OR layer = @layer) " +
                "AND (@run IS NULL OR run_id = @run) AND (@prefix IS NULL OR substr(key, 1, length(@prefix)) = @prefix) ORDER BY id DESC LIMIT @limit;")
            .Text("batch", query.BatchId).Text("layer", query.Layer).Text("run", query.RunId).Text("prefix", query.KeyPrefix)
            .Int("limit", Storage.QueryLimit.Check(query.Limit, "Ledger")), cancellationToken);

    public async Task DeleteAsync(long id, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.BeginWriteAsync(dialect, cancellationToken);
        session.Queue(new SqlStatement("DELETE FROM ledger WHERE id = @id;").Long("id", id));
        await session.CommitAsync();
    }

    private async Task<IReadOnlyList<LedgerEntry>> ReadAsync(SqlStatement read, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.OpenAsync(dialect, cancellationToken);
        return await session.ListAsync(read, Read);
    }

    private LedgerEntry Read(DbDataReader r) =>
        new(r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetString(4), r.GetString(5), r.GetInt64(6), dialect.ReadTime(r, 7))
        {
            Id = r.GetInt64(0),
            Layer = r.GetString(8),
            Format = r.GetString(9),
            BatchId = r.IsDBNull(10) ? null : r.GetString(10),
            Uploader = r.IsDBNull(11) ? null : r.GetString(11),
            Intent = r.IsDBNull(12) ? null : r.GetString(12),
            Crs = r.IsDBNull(13) ? null : r.GetString(13),
            Bbox = r.IsDBNull(14) ? null : ReadBbox(r.GetString(14)),
            Metadata = r.GetString(15),
        };

    private static string? BboxJson(LedgerBoundingBox? bbox) =>
        bbox is { } b ? JsonSerializer.Serialize(new[] { b.MinX, b.MinY, b.MaxX, b.MaxY }) : null;

    private static LedgerBoundingBox ReadBbox(string json)
    {
        var v = JsonSerializer.Deserialize<double[]>(json)!;
        return new LedgerBoundingBox(v[0], v[1], v[2], v[3]);
    }
}
