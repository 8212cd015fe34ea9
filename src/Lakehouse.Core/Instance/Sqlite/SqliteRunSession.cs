using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance.Storage;
using Microsoft.Data.Sqlite;
using static Lakehouse.Core.Instance.Sqlite.SqliteCommands;

namespace Lakehouse.Core.Instance.Sqlite;

/// <summary>A run inside a <c>BEGIN IMMEDIATE</c> transaction: the database's write lock is the run's lock.</summary>
internal sealed class SqliteRunSession(SqliteConnection connection, string runId, RunStatus status, CancellationToken cancellationToken)
    : RunSession(runId, status)
{
    public const string StepColumns = "s.step_key, s.status, s.depends_on, s.attempt, s.started_at, s.ended_at, s.error";

    protected override async Task<PlanStep?> FindStepAsync(StepKey key) =>
        (await ReadStepsAsync("WHERE s.run_id = $run AND s.step_key = $key", ("$key", key.ToString()))).SingleOrDefault();

    public override Task<IReadOnlyList<PlanStep>> DependentsAsync(StepKey key) =>
        ReadStepsAsync("JOIN run_step_deps d ON d.run_id = s.run_id AND d.step_key = s.step_key WHERE s.run_id = $run AND d.depends_on = $key",
            ("$key", key.ToString()));

    public override Task<IReadOnlyList<PlanStep>> StepsInAsync(params StepStatus[] statuses) =>
        ReadStepsAsync($"WHERE s.run_id = $run AND s.status IN ({In(statuses)})");

    public override async Task<bool> AnyStepInAsync(params StepStatus[] statuses)
    {
        await using var command = connection.Command(
            $"SELECT EXISTS (SELECT 1 FROM run_steps WHERE run_id = $run AND status IN ({In(statuses)}));", ("$run", RunId));
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! != 0;
    }

    public override async Task<bool> UpstreamSucceededAsync(StepKey key)
    {
        await using var command = connection.Command(
            "SELECT NOT EXISTS (SELECT 1 FROM run_step_deps d JOIN run_steps u ON u.run_id = d.run_id AND u.step_key = d.depends_on " +
            "WHERE d.run_id = $run AND d.step_key = $key AND u.status <> 'Succeeded');",
            ("$run", RunId), ("$key", key.ToString()));
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! != 0;
    }

    public override async Task SaveStepsAsync(IReadOnlyList<PlanStep> steps)
    {
        if (steps.Count == 0) return;
        await using var update = connection.Command(
            "UPDATE run_steps SET status = $status, attempt = $attempt, started_at = $started, ended_at = $ended, error = $error WHERE run_id = $run AND step_key = $key;");
        foreach (var name in new[] { "$status", "$attempt", "$started", "$ended", "$error", "$run", "$key" })
            update.Parameters.Add(new SqliteParameter { ParameterName = name });
        foreach (var s in steps)
        {
            update.Parameters["$status"].Value = s.Status.ToString();
            update.Parameters["$attempt"].Value = s.Attempt;
            update.Parameters["$started"].Value = Ticks(s.StartedAt) ?? DBNull.Value;
            update.Parameters["$ended"].Value = Ticks(s.EndedAt) ?? DBNull.Value;
            update.Parameters["$error"].Value = (object?)s.Error ?? DBNull.Value;
            update.Parameters["$run"].Value = RunId;
            update.Parameters["$key"].Value = s.Key.ToString();
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    protected override Task WriteRunAsync(RunStatus status, DateTimeOffset? startedAt, DateTimeOffset? endedAt) =>
        connection.ExecuteAsync(
            "UPDATE runs SET status = $status, started_at = COALESCE($started, started_at), ended_at = COALESCE($ended, ended_at) WHERE run_id = $run;",
            cancellationToken, ("$status", status.ToString()), ("$started", Ticks(startedAt)), ("$ended", Ticks(endedAt)), ("$run", RunId));

    /// <summary>Status names are enum names, never user text, so they are written into the SQL directly.</summary>
    private static string In(StepStatus[] statuses) => string.Join(", ", statuses.Select(s => $"'{s}'"));

    private async Task<IReadOnlyList<PlanStep>> ReadStepsAsync(string filter, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command($"SELECT {StepColumns} FROM run_steps s {filter} ORDER BY s.ordinal;", [("$run", RunId), .. parameters]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var steps = new List<PlanStep>();
        while (await reader.ReadAsync(cancellationToken)) steps.Add(ReadStep(reader));
        return steps;
    }

    public static PlanStep ReadStep(SqliteDataReader reader) => new()
    {
        Key = StepKey.Parse(reader.GetString(0)),
        Status = Enum.Parse<StepStatus>(reader.GetString(1)),
        DependsOn = InstanceJson.ReadStepKeys(reader.GetString(2)),
        Attempt = reader.GetInt32(3),
        StartedAt = TimeOrNull(reader, 4),
        EndedAt = TimeOrNull(reader, 5),
        Error = StringOrNull(reader, 6),
    };
}
