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

    public async Task<SensorRunKeyLookup> LookUpRunKeysAsync(string sensor, IReadOnlyList<string> runKeys, int sample, CancellationToken cancellationToken)
    {
        if (runKeys.Count == 0) return new SensorRunKeyLookup(new HashSet<string>(), [], []);
        await using var session = await SqlSession.OpenAsync(dialect, cancellationToken);
        // Only the keys not launched come back, and those among the first asked (for the skip texts): returning all 10,000 rows
        // and their run ids cost more than finding them, and so did picking the first launched ones wherever they are (a second
        // join, or a window's sort).
        var rows = await session.ListAsync(SqlStatement.Read(
                $"SELECT a.v, k.run_id, r.run_id IS NOT NULL FROM {dialect.JsonArrayRows("keys")} a " +
                "LEFT JOIN sensor_run_keys k ON k.sensor = @sensor AND k.run_key = a.v LEFT JOIN runs r ON r.run_id = k.run_id " +
                "WHERE r.run_id IS NULL OR a.i < @sample;")
            .Text("sensor", sensor).Json("keys", InstanceJson.Strings(runKeys)).Int("sample", sample),
            r => (Key: r.GetString(0), RunId: r.IsDBNull(1) ? null : r.GetString(1), Launched: r.GetBoolean(2)));
        return new SensorRunKeyLookup(
            rows.Where(r => r.RunId is null).Select(r => r.Key).ToHashSet(StringComparer.Ordinal),
            rows.Where(r => r.RunId is not null && !r.Launched).Select(r => new SensorRunKey(r.Key, r.RunId!, false)).ToList(),
            rows.Where(r => r.Launched).Select(r => new SensorRunKey(r.Key, r.RunId!, true)).ToList());
    }

    public async Task<IReadOnlySet<string>> ClaimRunKeysAsync(string sensor, IReadOnlyList<(string RunKey, string RunId)> claims, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        if (claims.Count == 0) return new HashSet<string>();
        // The first claim of a key wins; a second process that got past the lease finds the key taken and launches nothing for it.
        // The keys this call inserted come back from the insert itself, one statement for every claim.
        await using var session = await SqlSession.BeginWriteAsync(dialect, cancellationToken);
        var ours = new HashSet<string>(StringComparer.Ordinal);
        await session.CommitAsync([SqlStatement.Read(
                    "INSERT INTO sensor_run_keys (sensor, run_key, run_id, created_at) " +
                    $"SELECT @sensor, a.v, b.v, @at FROM {dialect.JsonArrayRows("keys")} a JOIN {dialect.JsonArrayRows("runs")} b ON b.i = a.i " +
                    "WHERE true ON CONFLICT (sensor, run_key) DO NOTHING RETURNING run_key;")
                .Text("sensor", sensor).Time("at", at).Json("keys", InstanceJson.Strings(claims.Select(c => c.RunKey))).Json("runs", InstanceJson.Strings(claims.Select(c => c.RunId)))],
            async (_, reader) =>
            {
                while (await reader.ReadAsync(cancellationToken)) ours.Add(reader.GetString(0));
            });
        return ours;
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
