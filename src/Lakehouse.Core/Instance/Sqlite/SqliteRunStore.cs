using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance.Storage;
using Microsoft.Data.Sqlite;
using static Lakehouse.Core.Instance.Sqlite.SqliteCommands;

namespace Lakehouse.Core.Instance.Sqlite;

/// <summary>Runs and step plans in SQLite; every run-state decision runs in one <c>BEGIN IMMEDIATE</c> transaction.</summary>
internal sealed class SqliteRunStore(SqliteDatabase database, TimeProvider clock) : IRunStore
{
    private const string RunColumns = "run_id, status, selection, partitions, tags, parent_run_id, created_at, started_at, ended_at";

    public Task CreateRunAsync(RunRecord run, IReadOnlyList<StepRecord> steps, CancellationToken cancellationToken)
    {
        PlanValidation.Check(run, steps);
        return database.WriteAsync(async connection =>
        {
            await using (var insertRun = connection.Command(
                $"INSERT INTO runs ({RunColumns}) VALUES ($id, $status, $selection, $partitions, $tags, $parent, $created, NULL, NULL) ON CONFLICT (run_id) DO NOTHING;",
                ("$id", run.RunId), ("$status", nameof(RunStatus.Queued)), ("$selection", run.Selection),
                ("$partitions", InstanceJson.Strings(run.Partitions)), ("$tags", InstanceJson.Tags(run.Tags)),
                ("$parent", run.ParentRunId), ("$created", Ticks(run.CreatedAt))))
            {
                if (await insertRun.ExecuteNonQueryAsync(cancellationToken) == 0)
                    throw new InvalidOperationException($"Run '{run.RunId}' already exists: a run id names one run.");
            }
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
            await using var edge = connection.Command("INSERT INTO run_step_deps (run_id, step_key, depends_on) VALUES ($run, $key, $dep);",
                ("$run", run.RunId), ("$key", ""), ("$dep", ""));
            foreach (var s in steps)
                foreach (var dep in s.DependsOn.Distinct())
                {
                    edge.Parameters["$key"].Value = s.Key.ToString();
                    edge.Parameters["$dep"].Value = dep.ToString();
                    await edge.ExecuteNonQueryAsync(cancellationToken);
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
            ("$status", query.Status?.ToString()), ("$asset", query.Asset?.Value), ("$partition", query.Partition?.Value), ("$limit", QueryLimit.Check(query.Limit, "Run query")));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var runs = new List<RunRecord>();
        while (await reader.ReadAsync(cancellationToken)) runs.Add(ReadRun(reader));
        return runs;
    }

    public async Task<IReadOnlyList<StepRecord>> GetStepsAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"SELECT {SqliteRunSession.StepColumns} FROM run_steps s WHERE s.run_id = $id ORDER BY s.ordinal;", ("$id", runId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var steps = new List<StepRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var s = SqliteRunSession.ReadStep(reader);
            steps.Add(new StepRecord(runId, s.Key, s.Status, s.DependsOn) { Attempt = s.Attempt, StartedAt = s.StartedAt, EndedAt = s.EndedAt, Error = s.Error });
        }
        return steps;
    }

    public Task<RunProgress> StartRunAsync(string runId, DateTimeOffset at, CancellationToken cancellationToken) =>
        DecideAsync(runId, run => RunTransitions.StartAsync(run, at), cancellationToken);

    public Task<bool> TryStartStepAsync(string runId, StepKey step, int attempt, DateTimeOffset at, CancellationToken cancellationToken) =>
        DecideAsync(runId, run => RunTransitions.TryStartStepAsync(run, step, attempt, at), cancellationToken);

    public Task RequeueStepAsync(string runId, StepKey step, int nextAttempt, CancellationToken cancellationToken) =>
        DecideAsync(runId, async run => { await RunTransitions.RequeueAsync(run, step, nextAttempt, clock.GetUtcNow()); return true; }, cancellationToken);

    public Task<RunProgress> CompleteStepAsync(string runId, StepKey step, StepOutcome outcome, DateTimeOffset at, CancellationToken cancellationToken) =>
        DecideAsync(runId, run => RunTransitions.CompleteAsync(run, step, outcome, at), cancellationToken);

    public Task<bool> CancelRunAsync(string runId, DateTimeOffset at, CancellationToken cancellationToken) =>
        DecideAsync(runId, run => RunTransitions.CancelAsync(run, at), cancellationToken);

    /// <summary>Applies one transition to the run under the database's write lock.</summary>
    private Task<T> DecideAsync<T>(string runId, Func<RunSession, Task<T>> transition, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var read = connection.Command("SELECT status FROM runs WHERE run_id = $id;", ("$id", runId));
            var status = await read.ExecuteScalarAsync(cancellationToken) ?? throw new KeyNotFoundException($"There is no run '{runId}'.");
            return await transition(new SqliteRunSession(connection, runId, Enum.Parse<RunStatus>((string)status), cancellationToken));
        }, cancellationToken);

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
