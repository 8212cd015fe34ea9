using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance.Storage;
using Npgsql;
using static Lakehouse.Core.Instance.Postgres.PostgresCommands;

namespace Lakehouse.Core.Instance.Postgres;

/// <summary>Runs and step plans in PostgreSQL; every run-state decision locks the run row (<c>FOR UPDATE</c>) first.</summary>
internal sealed class PostgresRunStore(NpgsqlDataSource dataSource, TimeProvider clock) : IRunStore
{
    private const string RunColumns = "run_id, status, selection, partitions, tags, parent_run_id, created_at, started_at, ended_at";
    private const string StepColumns = "step_key, status, depends_on, attempt, started_at, ended_at, error";

    public Task CreateRunAsync(RunRecord run, IReadOnlyList<StepRecord> steps, CancellationToken cancellationToken)
    {
        PlanValidation.Check(run, steps);
        return dataSource.InTransactionAsync(async connection =>
        {
            await connection.ExecuteAsync(
                $"INSERT INTO runs ({RunColumns}) VALUES (@id, @status, @selection, @partitions, @tags, @parent, @created, NULL, NULL);",
                cancellationToken,
                Text("id", run.RunId), Text("status", nameof(RunStatus.Queued)), Text("selection", run.Selection),
                Json("partitions", InstanceJson.Strings(run.Partitions)), Json("tags", InstanceJson.Tags(run.Tags)),
                Text("parent", run.ParentRunId), Time("created", run.CreatedAt));
            // One round trip for the whole plan, however many steps it has.
            await using var batch = new NpgsqlBatch(connection);
            for (var i = 0; i < steps.Count; i++)
            {
                var s = steps[i];
                var command = new NpgsqlBatchCommand(
                    "INSERT INTO run_steps (run_id, step_key, ordinal, asset, partition_key, status, depends_on, attempt, started_at, ended_at, error) " +
                    "VALUES (@run, @key, @ordinal, @asset, @partition, @status, @deps, @attempt, @started, @ended, @error);");
                command.Parameters.AddRange(new[]
                {
                    Text("run", run.RunId), Text("key", s.Key.ToString()), Int("ordinal", i), Text("asset", s.Key.Asset.Value),
                    Text("partition", s.Key.Partition?.Value), Text("status", s.Status.ToString()), Json("deps", InstanceJson.StepKeys(s.DependsOn)),
                    Int("attempt", s.Attempt), Time("started", s.StartedAt), Time("ended", s.EndedAt), Text("error", s.Error),
                });
                batch.BatchCommands.Add(command);
            }
            if (steps.Count > 0) await batch.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }, cancellationToken);
    }

    public async Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {RunColumns} FROM runs WHERE run_id = @id;", Text("id", runId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadRun(reader) : null;
    }

    public async Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken)
    {
        var stepFilter = query.Asset is null && query.Partition is null ? "" :
            " AND EXISTS (SELECT 1 FROM run_steps s WHERE s.run_id = r.run_id AND (@asset IS NULL OR s.asset = @asset) AND (@partition IS NULL OR s.partition_key = @partition))";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            $"SELECT {RunColumns} FROM runs r WHERE (@status IS NULL OR r.status = @status){stepFilter} ORDER BY r.created_at DESC, r.run_id DESC LIMIT @limit;",
            Text("status", query.Status?.ToString()), Text("asset", query.Asset?.Value), Text("partition", query.Partition?.Value), Int("limit", query.Limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var runs = new List<RunRecord>();
        while (await reader.ReadAsync(cancellationToken)) runs.Add(ReadRun(reader));
        return runs;
    }

    public async Task<IReadOnlyList<StepRecord>> GetStepsAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
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

    /// <summary>Locks the run row, loads its plan, applies one transition, and writes back what it changed before the lock is released.</summary>
    private Task<T> DecideAsync<T>(string runId, Func<RunPlanState, T> transition, CancellationToken cancellationToken) =>
        dataSource.InTransactionAsync(async connection =>
        {
            RunStatus status;
            await using (var read = connection.Command("SELECT status FROM runs WHERE run_id = @id FOR UPDATE;", Text("id", runId)))
            {
                var value = await read.ExecuteScalarAsync(cancellationToken) ?? throw new KeyNotFoundException($"There is no run '{runId}'.");
                status = Enum.Parse<RunStatus>((string)value);
            }
            var run = new RunPlanState(runId, status, await LoadStepsAsync(connection, runId, cancellationToken));
            var result = transition(run);
            await using var batch = new NpgsqlBatch(connection);
            if (run.RunChanged)
                batch.BatchCommands.Add(BatchCommand(
                    "UPDATE runs SET status = @status, started_at = COALESCE(@started, started_at), ended_at = COALESCE(@ended, ended_at) WHERE run_id = @id;",
                    Text("status", run.Status.ToString()), Time("started", run.StartedAt), Time("ended", run.EndedAt), Text("id", runId)));
            foreach (var s in run.Steps.Where(s => s.Changed))
                batch.BatchCommands.Add(BatchCommand(
                    "UPDATE run_steps SET status = @status, attempt = @attempt, started_at = @started, ended_at = @ended, error = @error WHERE run_id = @id AND step_key = @key;",
                    Text("status", s.Status.ToString()), Int("attempt", s.Attempt), Time("started", s.StartedAt), Time("ended", s.EndedAt),
                    Text("error", s.Error), Text("id", runId), Text("key", s.Key.ToString())));
            if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync(cancellationToken);
            return result;
        }, cancellationToken);

    private static NpgsqlBatchCommand BatchCommand(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static async Task<List<PlanStep>> LoadStepsAsync(NpgsqlConnection connection, string runId, CancellationToken cancellationToken)
    {
        await using var command = connection.Command($"SELECT {StepColumns} FROM run_steps WHERE run_id = @id ORDER BY ordinal;", Text("id", runId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var steps = new List<PlanStep>();
        while (await reader.ReadAsync(cancellationToken))
            steps.Add(new PlanStep
            {
                Key = StepKey.Parse(reader.GetString(0)),
                Status = Enum.Parse<StepStatus>(reader.GetString(1)),
                DependsOn = InstanceJson.ReadStepKeys(reader.GetString(2)),
                Attempt = reader.GetInt32(3),
                StartedAt = ReadTimeOrNull(reader, 4),
                EndedAt = ReadTimeOrNull(reader, 5),
                Error = ReadStringOrNull(reader, 6),
            });
        return steps;
    }

    private static RunRecord ReadRun(NpgsqlDataReader r) =>
        new(r.GetString(0), Enum.Parse<RunStatus>(r.GetString(1)), r.GetString(2), ReadTime(r, 6))
        {
            Partitions = InstanceJson.ReadStrings(r.GetString(3)),
            Tags = InstanceJson.ReadTags(r.GetString(4)),
            ParentRunId = ReadStringOrNull(r, 5),
            StartedAt = ReadTimeOrNull(r, 7),
            EndedAt = ReadTimeOrNull(r, 8),
        };
}
