using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance.Storage;
using Microsoft.Data.Sqlite;
using static Lakehouse.Core.Instance.Sqlite.SqliteCommands;

namespace Lakehouse.Core.Instance.Sqlite;

/// <summary>Runs and step plans in SQLite; every run-state decision runs in one <c>BEGIN IMMEDIATE</c> transaction.</summary>
internal sealed class SqliteRunStore(SqliteDatabase database, TimeProvider clock) : IRunStore
{
    private const string RunColumns = "run_id, status, selection, partitions, tags, parent_run_id, created_at, started_at, ended_at";
    private const string StepColumns = "step_key, status, depends_on, attempt, started_at, ended_at, error";

    public Task CreateRunAsync(RunRecord run, IReadOnlyList<StepRecord> steps, CancellationToken cancellationToken)
    {
        PlanValidation.Check(run, steps);
        return database.WriteAsync(async connection =>
        {
            await connection.ExecuteAsync(
                $"INSERT INTO runs ({RunColumns}) VALUES ($id, $status, $selection, $partitions, $tags, $parent, $created, NULL, NULL);",
                cancellationToken,
                ("$id", run.RunId), ("$status", nameof(RunStatus.Queued)), ("$selection", run.Selection),
                ("$partitions", InstanceJson.Strings(run.Partitions)), ("$tags", InstanceJson.Tags(run.Tags)),
                ("$parent", run.ParentRunId), ("$created", Ticks(run.CreatedAt)));
            await using var insert = connection.Command(
                "INSERT INTO run_steps (run_id, step_key, ordinal, asset, partition_key, status, depends_on, attempt, started_at, ended_at, error) " +
                "VALUES ($run, $key, $ordinal, $asset, $partition, $status, $deps, $attempt, $started, $ended, $error);");
            var p = insert.Parameters;
            foreach (var name in new[] { "$run", "$key", "$ordinal", "$asset", "$partition", "$status", "$deps", "$attempt", "$started", "$ended", "$error" })
                p.Add(new SqliteParameter { ParameterName = name });
            for (var i = 0; i < steps.Count; i++)
            {
                var s = steps[i];
                p["$run"].Value = run.RunId;
                p["$key"].Value = s.Key.ToString();
                p["$ordinal"].Value = i;
                p["$asset"].Value = s.Key.Asset.Value;
                p["$partition"].Value = (object?)s.Key.Partition?.Value ?? DBNull.Value;
                p["$status"].Value = s.Status.ToString();
                p["$deps"].Value = InstanceJson.StepKeys(s.DependsOn);
                p["$attempt"].Value = s.Attempt;
                p["$started"].Value = Ticks(s.StartedAt) ?? DBNull.Value;
                p["$ended"].Value = Ticks(s.EndedAt) ?? DBNull.Value;
                p["$error"].Value = (object?)s.Error ?? DBNull.Value;
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
            return true;
        }, cancellationToken);
    }

    public async Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {RunColumns} FROM runs WHERE run_id = $id;", ("$id", runId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadRun(reader) : null;
    }

    public async Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken)
    {
        var stepFilter = query.Asset is null && query.Partition is null ? "" :
            " AND EXISTS (SELECT 1 FROM run_steps s WHERE s.run_id = r.run_id AND ($asset IS NULL OR s.asset = $asset) AND ($partition IS NULL OR s.partition_key = $partition))";
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"SELECT {RunColumns} FROM runs r WHERE ($status IS NULL OR r.status = $status){stepFilter} ORDER BY r.created_at DESC, r.run_id DESC LIMIT $limit;",
            ("$status", query.Status?.ToString()), ("$asset", query.Asset?.Value), ("$partition", query.Partition?.Value), ("$limit", query.Limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var runs = new List<RunRecord>();
        while (await reader.ReadAsync(cancellationToken)) runs.Add(ReadRun(reader));
        return runs;
    }

    public async Task<IReadOnlyList<StepRecord>> GetStepsAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var steps = await LoadStepsAsync(connection, runId, cancellationToken);
        return steps.Select(s => new StepRecord(runId, s.Key, s.Status, s.DependsOn)
        {
            Attempt = s.Attempt, StartedAt = s.StartedAt, EndedAt = s.EndedAt, Error = s.Error,
        }).ToList();
    }

    public Task<RunProgress> StartRunAsync(string runId, DateTimeOffset at, CancellationToken cancellationToken) =>
        DecideAsync(runId, run => RunTransitions.Start(run, at), cancellationToken);

    public Task<bool> TryStartStepAsync(string runId, StepKey step, int attempt, DateTimeOffset at, CancellationToken cancellationToken) =>
        DecideAsync(runId, run => RunTransitions.TryStartStep(run, step, attempt, at), cancellationToken);

    public Task RequeueStepAsync(string runId, StepKey step, int nextAttempt, CancellationToken cancellationToken) =>
        DecideAsync(runId, run => { RunTransitions.Requeue(run, step, nextAttempt, clock.GetUtcNow()); return true; }, cancellationToken);

    public Task<RunProgress> CompleteStepAsync(string runId, StepKey step, StepOutcome outcome, DateTimeOffset at, CancellationToken cancellationToken) =>
        DecideAsync(runId, run => RunTransitions.Complete(run, step, outcome, at), cancellationToken);

    public Task<bool> CancelRunAsync(string runId, DateTimeOffset at, CancellationToken cancellationToken) =>
        DecideAsync(runId, run => RunTransitions.Cancel(run, at), cancellationToken);

    /// <summary>Loads the run and its plan under the write lock, applies one transition, and writes back what it changed.</summary>
    private Task<T> DecideAsync<T>(string runId, Func<RunPlanState, T> transition, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            RunStatus status;
            await using (var read = connection.Command("SELECT status FROM runs WHERE run_id = $id;", ("$id", runId)))
            {
                var value = await read.ExecuteScalarAsync(cancellationToken) ?? throw new KeyNotFoundException($"There is no run '{runId}'.");
                status = Enum.Parse<RunStatus>((string)value);
            }
            var run = new RunPlanState(runId, status, await LoadStepsAsync(connection, runId, cancellationToken));
            var result = transition(run);
            if (run.RunChanged)
                await connection.ExecuteAsync(
                    "UPDATE runs SET status = $status, started_at = COALESCE($started, started_at), ended_at = COALESCE($ended, ended_at) WHERE run_id = $id;",
                    cancellationToken,
                    ("$status", run.Status.ToString()), ("$started", Ticks(run.StartedAt)), ("$ended", Ticks(run.EndedAt)), ("$id", runId));
            foreach (var s in run.Steps.Where(s => s.Changed))
                await connection.ExecuteAsync(
                    "UPDATE run_steps SET status = $status, attempt = $attempt, started_at = $started, ended_at = $ended, error = $error WHERE run_id = $id AND step_key = $key;",
                    cancellationToken,
                    ("$status", s.Status.ToString()), ("$attempt", s.Attempt), ("$started", Ticks(s.StartedAt)), ("$ended", Ticks(s.EndedAt)),
                    ("$error", s.Error), ("$id", runId), ("$key", s.Key.ToString()));
            return result;
        }, cancellationToken);

    private static async Task<List<PlanStep>> LoadStepsAsync(SqliteConnection connection, string runId, CancellationToken cancellationToken)
    {
        await using var command = connection.Command($"SELECT {StepColumns} FROM run_steps WHERE run_id = $id ORDER BY ordinal;", ("$id", runId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var steps = new List<PlanStep>();
        while (await reader.ReadAsync(cancellationToken))
            steps.Add(new PlanStep
            {
                Key = StepKey.Parse(reader.GetString(0)),
                Status = Enum.Parse<StepStatus>(reader.GetString(1)),
                DependsOn = InstanceJson.ReadStepKeys(reader.GetString(2)),
                Attempt = reader.GetInt32(3),
                StartedAt = TimeOrNull(reader, 4),
                EndedAt = TimeOrNull(reader, 5),
                Error = StringOrNull(reader, 6),
            });
        return steps;
    }

    private static RunRecord ReadRun(SqliteDataReader r) =>
        new(r.GetString(0), Enum.Parse<RunStatus>(r.GetString(1)), r.GetString(2), Time(r, 6))
        {
            Partitions = InstanceJson.ReadStrings(r.GetString(3)),
            Tags = InstanceJson.ReadTags(r.GetString(4)),
            ParentRunId = StringOrNull(r, 5),
            StartedAt = TimeOrNull(r, 7),
            EndedAt = TimeOrNull(r, 8),
        };
}
