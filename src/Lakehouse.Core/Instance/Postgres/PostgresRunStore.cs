using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance.Storage;
using Npgsql;
using static Lakehouse.Core.Instance.Postgres.PostgresCommands;

namespace Lakehouse.Core.Instance.Postgres;

/// <summary>Runs and step plans in PostgreSQL; every run-state decision locks the run row (<c>FOR UPDATE</c>) first.</summary>
internal sealed class PostgresRunStore(NpgsqlDataSource dataSource, TimeProvider clock) : IRunStore
{
    private const string RunColumns = "run_id, status, selection, partitions, tags, parent_run_id, created_at, started_at, ended_at";

    public Task CreateRunAsync(RunRecord run, IReadOnlyList<StepRecord> steps, CancellationToken cancellationToken)
    {
        PlanValidation.Check(run, steps);
        return dataSource.InTransactionAsync(async connection =>
        {
            await using (var insertRun = connection.Command(
                $"INSERT INTO runs ({RunColumns}) VALUES (@id, @status, @selection, @partitions, @tags, @parent, @created, NULL, NULL) ON CONFLICT (run_id) DO NOTHING;",
                Text("id", run.RunId), Text("status", nameof(RunStatus.Queued)), Text("selection", run.Selection),
                Json("partitions", InstanceJson.Strings(run.Partitions)), Json("tags", InstanceJson.Tags(run.Tags)),
                Text("parent", run.ParentRunId), Time("created", run.CreatedAt)))
            {
                if (await insertRun.ExecuteNonQueryAsync(cancellationToken) == 0)
                    throw new InvalidOperationException($"Run '{run.RunId}' already exists: a run id names one run.");
            }
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
                foreach (var dep in s.DependsOn.Distinct())
                    batch.BatchCommands.Add(BatchCommand("INSERT INTO run_step_deps (run_id, step_key, depends_on) VALUES (@run, @key, @dep);",
                        Text("run", run.RunId), Text("key", s.Key.ToString()), Text("dep", dep.ToString())));
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
            Text("status", query.Status?.ToString()), Text("asset", query.Asset?.Value), Text("partition", query.Partition?.Value), Int("limit", QueryLimit.Check(query.Limit, "Run query")));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var runs = new List<RunRecord>();
        while (await reader.ReadAsync(cancellationToken)) runs.Add(ReadRun(reader));
        return runs;
    }

    public async Task<IReadOnlyList<StepRecord>> GetStepsAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            $"SELECT {PostgresRunSession.StepColumns} FROM run_steps s WHERE s.run_id = @id ORDER BY s.ordinal;", Text("id", runId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var steps = new List<StepRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var s = PostgresRunSession.ReadStep(reader);
            steps.Add(new StepRecord(runId, s.Key, s.Status, s.DependsOn) { Attempt = s.Attempt, StartedAt = s.StartedAt, EndedAt = s.EndedAt, Error = s.Error });
        }
        return steps;
    }

    public Task<RunProgress> StartRunAsync(string runId, DateTimeOffset at, CancellationToken cancellationToken) =>
        DecideAsync(runId, null, run => RunTransitions.StartAsync(run, at), cancellationToken);

    public Task<bool> TryStartStepAsync(string runId, StepKey step, int attempt, DateTimeOffset at, CancellationToken cancellationToken) =>
        DecideAsync(runId, step, run => RunTransitions.TryStartStepAsync(run, step, attempt, at), cancellationToken);

    public Task RequeueStepAsync(string runId, StepKey step, int nextAttempt, CancellationToken cancellationToken) =>
        DecideAsync(runId, step, async run => { await RunTransitions.RequeueAsync(run, step, nextAttempt, clock.GetUtcNow()); return true; }, cancellationToken);

    public Task<RunProgress> CompleteStepAsync(string runId, StepKey step, StepOutcome outcome, DateTimeOffset at, CancellationToken cancellationToken) =>
        DecideAsync(runId, step, run => RunTransitions.CompleteAsync(run, step, outcome, at), cancellationToken);

    public Task<bool> CancelRunAsync(string runId, DateTimeOffset at, CancellationToken cancellationToken) =>
        DecideAsync(runId, null, run => RunTransitions.CancelAsync(run, at), cancellationToken);

    /// <summary>
    /// Locks the run row (reading <paramref name="step"/> with it), then applies one transition; the lock is held until the
    /// COMMIT, which carries the transition's last writes.
    /// </summary>
    private async Task<T> DecideAsync<T>(string runId, StepKey? step, Func<RunSession, Task<T>> transition, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var run = await PostgresRunSession.LockAsync(connection, runId, step, cancellationToken);
            var result = await transition(run);
            await run.CommitAsync();
            return result;
        }
        catch
        {
            await PostgresRunSession.RollbackAsync(connection);
            throw;
        }
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
