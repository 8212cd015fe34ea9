using Lakehouse.Core.Instance.Storage;

namespace Lakehouse.Core.Instance.Sql;

/// <summary>Pool slots (migration 0006): one row per slot, taken by a conditional update that is the lock on both databases.</summary>
internal sealed class SqlPoolSlotStore(SqlDialect dialect) : IPoolSlotStore
{
    public async Task<bool> TryAcquireAsync(string pool, int limit, string holder, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var session = await SqlSession.BeginWriteAsync(dialect, cancellationToken);
        // The slots exist once the limit is known (a raised limit adds rows; a lowered one leaves the higher slots unused).
        // WHERE true: without it SQLite would read ON CONFLICT as the join's ON.
        session.Queue(new SqlStatement($"INSERT INTO pool_slots (pool, slot) SELECT @pool, a.i FROM {dialect.JsonArrayRows("slots")} a WHERE true ON CONFLICT DO NOTHING;")
            .Text("pool", pool).Json("slots", InstanceJson.Strings(Enumerable.Range(0, limit).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)))));
        // The free test is repeated outside the subquery: on PostgreSQL a second taker blocked on the same row re-checks it
        // against the first taker's committed row and takes nothing.
        const string Free = "(holder IS NULL OR lease_until < @now)";
        session.Queue(new SqlStatement(
                $"UPDATE pool_slots SET holder = @holder, lease_until = @until WHERE pool = @pool AND {Free} AND slot = " +
                $"(SELECT min(slot) FROM pool_slots WHERE pool = @pool AND slot < @limit AND {Free}) " +
                "AND NOT EXISTS (SELECT 1 FROM pool_slots h WHERE h.pool = @pool AND h.holder = @holder);")
            .Text("pool", pool).Text("holder", holder).Time("now", now).Time("until", until).Int("limit", limit));
        var held = 0;
        await session.CommitAsync([SqlStatement.Read("SELECT count(*) FROM pool_slots WHERE pool = @pool AND holder = @holder;").Text("pool", pool).Text("holder", holder)],
            async (_, reader) => held = await reader.ReadAsync(cancellationToken) ? (int)reader.GetInt64(0) : 0);
        return held > 0;
    }

    public Task RenewAsync(string pool, string holder, DateTimeOffset until, CancellationToken cancellationToken) =>
        WriteAsync(new SqlStatement("UPDATE pool_slots SET lease_until = @until WHERE pool = @pool AND holder = @holder;")
            .Text("pool", pool).Text("holder", holder).Time("until", until), cancellationToken);

    public Task ReleaseAsync(string pool, string holder, CancellationToken cancellationToken) =>
        WriteAsync(new SqlStatement("UPDATE pool_slots SET holder = NULL, lease_until = NULL WHERE pool = @pool AND holder = @holder;")
            .Text("pool", pool).Text("holder", holder), cancellationToken);

    public async Task<int> CountHeldAsync(string pool, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.OpenAsync(dialect, cancellationToken);
        return await session.FirstAsync(SqlStatement.Read("SELECT count(*) FROM pool_slots WHERE pool = @pool AND holder IS NOT NULL AND lease_until >= @now;")
            .Text("pool", pool).Time("now", now), r => (int)r.GetInt64(0));
    }

    private async Task WriteAsync(SqlStatement write, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.BeginWriteAsync(dialect, cancellationToken);
        session.Queue(write);
        await session.CommitAsync();
    }
}
