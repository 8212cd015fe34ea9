using Lakehouse.Core.Instance.Storage;
using Npgsql;
using static Lakehouse.Core.Instance.Postgres.PostgresCommands;

namespace Lakehouse.Core.Instance.Postgres;

/// <summary>Schedule and sensor state in PostgreSQL: on/off and cursor per name, and the ticks.</summary>
internal sealed class PostgresSchedulingStore(NpgsqlDataSource dataSource) : ISchedulingStore
{
    public async Task<bool?> GetEnabledAsync(string name, CancellationToken cancellationToken) =>
        await ScalarAsync("SELECT enabled FROM schedule_state WHERE name = @name;", name, cancellationToken) as bool?;

    public Task SetEnabledAsync(string name, bool enabled, CancellationToken cancellationToken) =>
        ExecuteAsync("INSERT INTO schedule_state (name, enabled) VALUES (@name, @enabled) ON CONFLICT (name) DO UPDATE SET enabled = excluded.enabled;",
            cancellationToken, Text("name", name), Bool("enabled", enabled));

    public Task AddTickAsync(TickRecord tick, CancellationToken cancellationToken) =>
        ExecuteAsync("INSERT INTO ticks (name, timestamp, status, run_ids, error) VALUES (@name, @at, @status, @runs, @error);", cancellationToken,
            Text("name", tick.Name), Time("at", tick.Timestamp), Text("status", tick.Status), Json("runs", InstanceJson.Strings(tick.RunIds)), Text("error", tick.Error));

    public async Task<IReadOnlyList<TickRecord>> GetTicksAsync(string name, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT timestamp, status, run_ids, error FROM ticks WHERE name = @name ORDER BY timestamp DESC, id DESC LIMIT @limit;",
            Text("name", name), Int("limit", QueryLimit.Check(limit, $"Ticks of '{name}'")));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ticks = new List<TickRecord>();
        while (await reader.ReadAsync(cancellationToken))
            ticks.Add(new TickRecord(name, ReadTime(reader, 0), reader.GetString(1))
            {
                RunIds = InstanceJson.ReadStrings(reader.GetString(2)),
                Error = ReadStringOrNull(reader, 3),
            });
        return ticks;
    }

    public async Task<string?> GetCursorAsync(string name, CancellationToken cancellationToken) =>
        await ScalarAsync("SELECT cursor FROM schedule_state WHERE name = @name;", name, cancellationToken) as string;

    public Task SetCursorAsync(string name, string cursor, CancellationToken cancellationToken) =>
        ExecuteAsync("INSERT INTO schedule_state (name, cursor) VALUES (@name, @cursor) ON CONFLICT (name) DO UPDATE SET cursor = excluded.cursor;",
            cancellationToken, Text("name", name), Text("cursor", cursor));

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(sql, cancellationToken, parameters);
    }

    private async Task<object?> ScalarAsync(string sql, string name, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(sql, Text("name", name));
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
