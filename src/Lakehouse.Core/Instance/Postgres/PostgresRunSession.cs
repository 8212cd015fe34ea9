using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance.Storage;
using Npgsql;
using static Lakehouse.Core.Instance.Postgres.PostgresCommands;

namespace Lakehouse.Core.Instance.Postgres;

/// <summary>A run whose row is locked <c>FOR UPDATE</c> in the open transaction: every other decision on it waits.</summary>
internal sealed class PostgresRunSession(NpgsqlConnection connection, string runId, RunStatus status, CancellationToken cancellationToken)
    : RunSession(runId, status)
{
    public const string StepColumns = "s.step_key, s.status, s.depends_on, s.attempt, s.started_at, s.ended_at, s.error";

    protected override async Task<PlanStep?> FindStepAsync(StepKey key) =>
        (await ReadStepsAsync("WHERE s.run_id = @run AND s.step_key = @key", Text("key", key.ToString()))).SingleOrDefault();

    public override Task<IReadOnlyList<PlanStep>> DependentsAsync(StepKey key) =>
        ReadStepsAsync("JOIN run_step_deps d ON d.run_id = s.run_id AND d.step_key = s.step_key WHERE s.run_id = @run AND d.depends_on = @key",
            Text("key", key.ToString()));

    public override Task<IReadOnlyList<PlanStep>> StepsInAsync(params StepStatus[] statuses) =>
        ReadStepsAsync("WHERE s.run_id = @run AND s.status = ANY(@statuses)", Statuses(statuses));

    public override async Task<bool> AnyStepInAsync(params StepStatus[] statuses)
    {
        await using var command = connection.Command(
            "SELECT EXISTS (SELECT 1 FROM run_steps WHERE run_id = @run AND status = ANY(@statuses));", Text("run", RunId), Statuses(statuses));
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public override async Task<bool> UpstreamSucceededAsync(StepKey key)
    {
        await using var command = connection.Command(
            "SELECT NOT EXISTS (SELECT 1 FROM run_step_deps d JOIN run_steps u ON u.run_id = d.run_id AND u.step_key = d.depends_on " +
            "WHERE d.run_id = @run AND d.step_key = @key AND u.status <> 'Succeeded');",
            Text("run", RunId), Text("key", key.ToString()));
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public override async Task SaveStepsAsync(IReadOnlyList<PlanStep> steps)
    {
        if (steps.Count == 0) return;
        // One round trip for all the steps a decision changed (a run start may queue hundreds).
        await using var batch = new NpgsqlBatch(connection);
        foreach (var s in steps)
        {
            var command = new NpgsqlBatchCommand(
                "UPDATE run_steps SET status = @status, attempt = @attempt, started_at = @started, ended_at = @ended, error = @error WHERE run_id = @run AND step_key = @key;");
            command.Parameters.AddRange(new[]
            {
                Text("status", s.Status.ToString()), Int("attempt", s.Attempt), Time("started", s.StartedAt), Time("ended", s.EndedAt),
                Text("error", s.Error), Text("run", RunId), Text("key", s.Key.ToString()),
            });
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    protected override Task WriteRunAsync(RunStatus status, DateTimeOffset? startedAt, DateTimeOffset? endedAt) =>
        connection.ExecuteAsync(
            "UPDATE runs SET status = @status, started_at = COALESCE(@started, started_at), ended_at = COALESCE(@ended, ended_at) WHERE run_id = @run;",
            cancellationToken, Text("status", status.ToString()), Time("started", startedAt), Time("ended", endedAt), Text("run", RunId));

    private static NpgsqlParameter Statuses(StepStatus[] statuses) => TextArray("statuses", statuses.Select(s => s.ToString()).ToArray());

    private async Task<IReadOnlyList<PlanStep>> ReadStepsAsync(string filter, params NpgsqlParameter[] parameters)
    {
        await using var command = connection.Command($"SELECT {StepColumns} FROM run_steps s {filter} ORDER BY s.ordinal;", [Text("run", RunId), .. parameters]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var steps = new List<PlanStep>();
        while (await reader.ReadAsync(cancellationToken)) steps.Add(ReadStep(reader));
        return steps;
    }

    public static PlanStep ReadStep(NpgsqlDataReader reader) => new()
    {
        Key = StepKey.Parse(reader.GetString(0)),
        Status = Enum.Parse<StepStatus>(reader.GetString(1)),
        DependsOn = InstanceJson.ReadStepKeys(reader.GetString(2)),
        Attempt = reader.GetInt32(3),
        StartedAt = ReadTimeOrNull(reader, 4),
        EndedAt = ReadTimeOrNull(reader, 5),
        Error = ReadStringOrNull(reader, 6),
    };
}
