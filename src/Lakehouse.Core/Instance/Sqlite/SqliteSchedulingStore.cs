using Lakehouse.Core.Instance.Storage;
using static Lakehouse.Core.Instance.Sqlite.SqliteCommands;

namespace Lakehouse.Core.Instance.Sqlite;

/// <summary>Schedule and sensor state in SQLite: on/off and cursor per name, and the ticks.</summary>
internal sealed class SqliteSchedulingStore(SqliteDatabase database) : ISchedulingStore
{
    public async Task<bool?> GetEnabledAsync(string name, CancellationToken cancellationToken)
    {
        var value = await ScalarAsync("SELECT enabled FROM schedule_state WHERE name = $name;", name, cancellationToken);
        return value is null or DBNull ? null : (long)value != 0;
    }

    public Task SetEnabledAsync(string name, bool enabled, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await connection.ExecuteAsync(
                "INSERT INTO schedule_state (name, enabled) VALUES ($name, $enabled) ON CONFLICT (name) DO UPDATE SET enabled = excluded.enabled;",
                cancellationToken, ("$name", name), ("$enabled", enabled ? 1 : 0));
            return true;
        }, cancellationToken);

    public Task AddTickAsync(TickRecord tick, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await connection.ExecuteAsync(
                "INSERT INTO ticks (name, timestamp, status, run_ids, error) VALUES ($name, $at, $status, $runs, $error);", cancellationToken,
                ("$name", tick.Name), ("$at", Ticks(tick.Timestamp)), ("$status", tick.Status), ("$runs", InstanceJson.Strings(tick.RunIds)), ("$error", tick.Error));
            return true;
        }, cancellationToken);

    public async Task<IReadOnlyList<TickRecord>> GetTicksAsync(string name, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT timestamp, status, run_ids, error FROM ticks WHERE name = $name ORDER BY timestamp DESC, id DESC LIMIT $limit;",
            ("$name", name), ("$limit", QueryLimit.Check(limit, $"Ticks of '{name}'")));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ticks = new List<TickRecord>();
        while (await reader.ReadAsync(cancellationToken))
            ticks.Add(new TickRecord(name, Time(reader, 0), reader.GetString(1))
            {
                RunIds = InstanceJson.ReadStrings(reader.GetString(2)),
                Error = StringOrNull(reader, 3),
            });
        return ticks;
    }

    public async Task<string?> GetCursorAsync(string name, CancellationToken cancellationToken) =>
        await ScalarAsync("SELECT cursor FROM schedule_state WHERE name = $name;", name, cancellationToken) as string;

    public Task SetCursorAsync(string name, string cursor, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await connection.ExecuteAsync(
                "INSERT INTO schedule_state (name, cursor) VALUES ($name, $cursor) ON CONFLICT (name) DO UPDATE SET cursor = excluded.cursor;",
                cancellationToken, ("$name", name), ("$cursor", cursor));
            return true;
        }, cancellationToken);

    private async Task<object?> ScalarAsync(string sql, string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(sql, ("$name", name));
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
