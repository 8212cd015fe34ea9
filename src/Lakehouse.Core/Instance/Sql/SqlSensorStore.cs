using Lakehouse.Core.Instance.Storage;

namespace Lakehouse.Core.Instance.Sql;

/// <summary>Sensor leases, run keys and ticks (migrations 0011, 0025).</summary>
internal sealed class SqlSensorStore(SqlDialect dialect) : ISensorStore
{
    public async Task<bool> TryLeaseAsync(string sensor, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.BeginWriteAsync(dialect, cancellationToken);
        // The conditional upsert is the lock: of two processes racing, the second finds the first's unexpired lease and changes nothing.
        session.Queue(new SqlStatement(
                "INSERT INTO sensor_leases (name, owner, lease_until) VALUES (@name, @owner, @until) ON CONFLICT (name) DO UPDATE " +
                "SET owner = excluded.owner, lease_until = excluded.lease_until WHERE sensor_leases.lease_until < @now OR sensor_leases.owner = excluded.owner;")
            .Text("name", sensor).Text("owner", owner).Time("until", until).Time("now", now));
        string? holder = null;
        await session.CommitAsync([SqlStatement.Read("SELECT owner FROM sensor_leases WHERE name = @name;").Text("name", sensor)],
            async (_, reader) => holder = await reader.ReadAsync(cancellationToken) ? reader.GetString(0) : null);
        return holder == owner;
    }

    public Task ReleaseLeaseAsync(string sensor, string owner, CancellationToken cancellationToken) =>
        WriteAsync([new SqlStatement("DELETE FROM sensor_leases WHERE name = @name AND owner = @owner;").Text("name", sensor).Text("owner", owner)], cancellationToken);

    public async Task<IReadOnlyList<SensorRunKey>> FindRunKeysAsync(string sensor, IReadOnlyList<string> runKeys, CancellationToken cancellationToken)
    {
        if (runKeys.Count == 0) return [];
        await using var session = await SqlSession.OpenAsync(dialect, cancellationToken);
        return await session.ListAsync(SqlStatement.Read(
                "SELECT k.run_key, k.run_id, EXISTS (SELECT 1 FROM runs r WHERE r.run_id = k.run_id) FROM sensor_run_keys k " +
                $"WHERE k.sensor = @sensor AND {dialect.AnyOf("k.run_key", "keys")};")
            .Text("sensor", sensor).TextList("keys", runKeys),
            r => new SensorRunKey(r.GetString(0), r.GetString(1), r.GetBoolean(2)));
    }

    public async Task<IReadOnlySet<string>> ClaimRunKeysAsync(string sensor, IReadOnlyList<(string RunKey, string RunId)> claims, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        if (claims.Count == 0) return new HashSet<string>();
        // The first claim of a key wins; a second process that got past the lease finds the key taken and launches nothing for it.
        await WriteAsync(claims.Select(c => new SqlStatement(
                "INSERT INTO sensor_run_keys (sensor, run_key, run_id, created_at) VALUES (@sensor, @key, @run, @at) ON CONFLICT (sensor, run_key) DO NOTHING;")
            .Text("sensor", sensor).Text("key", c.RunKey).Text("run", c.RunId).Time("at", at)).ToList(), cancellationToken);
        var ours = claims.ToDictionary(c => c.RunKey, c => c.RunId, StringComparer.Ordinal);
        return (await FindRunKeysAsync(sensor, claims.Select(c => c.RunKey).ToList(), cancellationToken))
            .Where(k => ours.GetValueOrDefault(k.RunKey) == k.RunId).Select(k => k.RunKey).ToHashSet(StringComparer.Ordinal);
    }

    public Task ReleaseRunKeyAsync(string sensor, string runKey, CancellationToken cancellationToken) =>
        WriteAsync([new SqlStatement("DELETE FROM sensor_run_keys WHERE sensor = @sensor AND run_key = @key;").Text("sensor", sensor).Text("key", runKey)], cancellationToken);

    public async Task<long> AddTickAsync(SensorTick tick, DateTimeOffset pruneBefore, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.BeginWriteAsync(dialect, cancellationToken);
        session.Queue(new SqlStatement("DELETE FROM sensor_ticks WHERE sensor = @sensor AND started_at < @before;").Text("sensor", tick.Sensor).Time("before", pruneBefore));
        session.Queue(new SqlStatement(
                "INSERT INTO sensor_ticks (sensor, started_at, duration_ms, status, run_ids, skips, skipped, reason, cursor) " +
                "VALUES (@sensor, @at, @ms, @status, @runs, @skips, @skipped, @reason, @cursor);")
            .Text("sensor", tick.Sensor).Time("at", tick.StartedAt).Long("ms", (long)tick.Duration.TotalMilliseconds).Text("status", tick.Status)
            .Json("runs", InstanceJson.Strings(tick.RunIds)).Json("skips", InstanceJson.Strings(tick.Skips.Take(SensorTick.SkipSampleSize).ToList()))
            .Long("skipped", Math.Max(tick.Skipped, tick.Skips.Count)).Text("reason", tick.Reason).Text("cursor", tick.Cursor));
        long id = 0;
        await session.CommitAsync([SqlStatement.Read($"SELECT {dialect.LastInsertedId};")],
            async (_, reader) => id = await reader.ReadAsync(cancellationToken) ? reader.GetInt64(0) : 0);
        return id;
    }

    public async Task<IReadOnlyList<SensorTick>> GetTicksAsync(string sensor, int limit, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.OpenAsync(dialect, cancellationToken);
        return await session.ListAsync(SqlStatement.Read(
                "SELECT id, started_at, duration_ms, status, run_ids, skips, reason, cursor, skipped FROM sensor_ticks WHERE sensor = @sensor " +
                "ORDER BY started_at DESC, id DESC LIMIT @limit;")
            .Text("sensor", sensor).Int("limit", QueryLimit.Check(limit, $"Ticks of '{sensor}'")),
            r =>
            {
                var skips = InstanceJson.ReadStrings(r.GetString(5));
                return new SensorTick(sensor, dialect.ReadTime(r, 1), r.GetString(3))
                {
                    Id = r.GetInt64(0),
                    Duration = TimeSpan.FromMilliseconds(r.GetInt64(2)),
                    RunIds = InstanceJson.ReadStrings(r.GetString(4)),
                    Skips = skips,
                    // Ticks stored before migration 0025 kept every skip and no count.
                    Skipped = Math.Max(r.GetInt64(8), skips.Count),
                    Reason = r.IsDBNull(6) ? null : r.GetString(6),
                    Cursor = r.IsDBNull(7) ? null : r.GetString(7),
                };
            });
    }

    private async Task WriteAsync(IReadOnlyList<SqlStatement> writes, CancellationToken cancellationToken)
    {
        if (writes.Count == 0) return;
        await using var session = await SqlSession.BeginWriteAsync(dialect, cancellationToken);
        session.Queue(writes);
        await session.CommitAsync();
    }
}
