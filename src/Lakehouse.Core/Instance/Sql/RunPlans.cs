using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance.Storage;

namespace Lakehouse.Core.Instance.Sql;

/// <summary>Writes a new run and its fixed plan: every step with its upstream steps and upstream reads, and the plan's edges.</summary>
internal static class RunPlans
{
    public const string RunColumns = "run_id, status, selection, partitions, tags, parent_run_id, created_at, started_at, ended_at, owner_process";

    /// <summary>Rows per INSERT of runs: ten parameters each, well under either database's limit.</summary>
    private const int RunsPerInsert = 200;

    /// <summary>
    /// Inserts the runs in one multi-row statement per <see cref="RunsPerInsert"/> (a tick's ten runs cost one round trip, not
    /// ten); their plans are held back and go out with the next read or the COMMIT. Throws, naming it, when a run id exists.
    /// </summary>
    public static async Task InsertAsync(SqlSession session, IReadOnlyList<(RunRecord Run, IReadOnlyList<StepRecord> Steps)> runs)
    {
        foreach (var chunk in runs.Chunk(RunsPerInsert))
        {
            var rows = Enumerable.Range(0, chunk.Length)
                .Select(i => $"(@id{i}, @status{i}, @selection{i}, @partitions{i}, @tags{i}, @parent{i}, @created{i}, NULL, NULL, @owner{i})");
            var insert = SqlStatement.Read($"INSERT INTO runs ({RunColumns}) VALUES {string.Join(", ", rows)} ON CONFLICT (run_id) DO NOTHING RETURNING run_id;");
            for (var i = 0; i < chunk.Length; i++)
            {
                var run = chunk[i].Run;
                insert.Text($"id{i}", run.RunId).Text($"status{i}", nameof(RunStatus.Queued)).Text($"selection{i}", run.Selection)
                    .Json($"partitions{i}", InstanceJson.Strings(run.Partitions)).Json($"tags{i}", InstanceJson.Tags(run.Tags))
                    .Text($"parent{i}", run.ParentRunId).Time($"created{i}", run.CreatedAt).Text($"owner{i}", run.Owner);
            }
            var created = new HashSet<string>(StringComparer.Ordinal);
            await session.ReadAsync(insert, async reader =>
            {
                while (await reader.ReadAsync()) created.Add(reader.GetString(0));
            });
            if (chunk.FirstOrDefault(r => !created.Contains(r.Run.RunId)) is { Run: { } existing })
                throw new InvalidOperationException($"Run '{existing.RunId}' already exists: a run id names one run.");
        }
        foreach (var (run, steps) in runs) QueueSteps(session, run, steps);
    }

    /// <summary>Held back and sent with the COMMIT: one round trip for the whole plan on PostgreSQL, however many steps it has.</summary>
    private static void QueueSteps(SqlSession session, RunRecord run, IReadOnlyList<StepRecord> steps)
    {
        for (var i = 0; i < steps.Count; i++)
        {
            var s = steps[i];
            session.Queue(new SqlStatement(
                    "INSERT INTO run_steps (run_id, step_key, ordinal, asset, partition_key, status, depends_on, attempt, started_at, ended_at, error, upstream_partitions) " +
                    "VALUES (@run, @key, @ordinal, @asset, @partition, @status, @deps, @attempt, @started, @ended, @error, @upstream);")
                .Text("run", run.RunId).Text("key", s.Key.ToString()).Int("ordinal", i).Text("asset", s.Key.Asset.Value)
                .Text("partition", s.Key.Partition?.Value).Text("status", s.Status.ToString()).Json("deps", InstanceJson.StepKeys(s.DependsOn))
                .Int("attempt", s.Attempt).Time("started", s.StartedAt).Time("ended", s.EndedAt).Text("error", s.Error)
                .Json("upstream", InstanceJson.Upstream(s.UpstreamPartitions)));
            foreach (var dep in s.DependsOn.Distinct())
                session.Queue(new SqlStatement("INSERT INTO run_step_deps (run_id, step_key, depends_on) VALUES (@run, @key, @dep);")
                    .Text("run", run.RunId).Text("key", s.Key.ToString()).Text("dep", dep.ToString()));
        }
    }
}
