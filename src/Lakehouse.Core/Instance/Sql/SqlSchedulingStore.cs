using Lakehouse.Core.Instance.Storage;

namespace Lakehouse.Core.Instance.Sql;

/// <summary>Schedule and sensor state: on/off and cursor per name, and the ticks.</summary>
internal sealed class SqlSchedulingStore(SqlDialect dialect) : ISchedulingStore
{
    public async Task<bool?> GetEnabledAsync(string name, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.OpenAsync(dialect, cancellationToken);
        return await session.FirstAsync(SqlStatement.Read("SELECT enabled FROM schedule_state WHERE name = @name;").Text("name", name),
            r => r.IsDBNull(0) ? (bool?)null : r.GetBoolean(0));
    }

    public Task SetEnabledAsync(string name, bool enabled, CancellationToken cancellationToken) =>
        WriteAsync(new SqlStatement("INSERT INTO schedule_state (name, enabled) VALUES (@name, @enabled) ON CONFLICT (name) DO UPDATE SET enabled = excluded.enabled;")
            .Text("name", name).Bool("enabled", enabled), cancellationToken);

    public Task AddTickAsync(TickRecord tick, CancellationToken cancellationToken) =>
        WriteAsync(new SqlStatement("INSERT INTO ticks (name, timestamp, status, run_ids, error) VALUES (@name, @at, @status, @runs, @error);")
            .Text("name", tick.Name).Time("at", tick.Timestamp).Text("status", tick.Status).Json("runs", InstanceJson.Strings(tick.RunIds))
            .Text("error", tick.Error), cancellationToken);

    public async Task<IReadOnlyList<TickRecord>> GetTicksAsync(string name, int limit, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.OpenAsync(dialect, cancellationToken);
        return await session.ListAsync(SqlStatement.Read(
                "SELECT timestamp, status, run_ids, error FROM ticks WHERE name = @name ORDER BY timestamp DESC, id DESC LIMIT @limit;")
            .Text("name", name).Int("limit", QueryLimit.Check(limit, $"Ticks of '{name}'")),
            r => new TickRecord(name, dialect.ReadTime(r, 0), r.GetString(1))
            {
                RunIds = InstanceJson.ReadStrings(r.GetString(2)),
                Error = r.IsDBNull(3) ? null : r.GetString(3),
            });
    }

    public async Task<string?> GetCursorAsync(string name, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.OpenAsync(dialect, cancellationToken);
        return await session.FirstAsync(SqlStatement.Read("SELECT cursor FROM schedule_state WHERE name = @name;").Text("name", name),
            r => r.IsDBNull(0) ? null : r.GetString(0));
    }

    public Task SetCursorAsync(string name, string cursor, CancellationToken cancellationToken) =>
        WriteAsync(new SqlStatement("INSERT INTO schedule_state (name, cursor) VALUES (@name, @cursor) ON CONFLICT (name) DO UPDATE SET cursor = excluded.cursor;")
            .Text("name", name).Text("cursor", cursor), cancellationToken);

    private async Task WriteAsync(SqlStatement write, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.BeginWriteAsync(dialect, cancellationToken);
        session.Queue(write);
        await session.CommitAsync();
    }
}
