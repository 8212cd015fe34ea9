using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance.Storage;

namespace Lakehouse.Core.Instance.Sql;

/// <summary>Writes a new run and its fixed plan: every step with its upstream steps and upstream reads, and the plan's edges.</summary>
internal static class RunPlans
{
    public const string RunColumns = "run_id, status, selection, partitions, tags, parent_run_id, created_at, started_at, ended_at, owner_process";

    public static async Task InsertAsync(SqlSession session, RunRecord run, IReadOnlyList<StepRecord> steps)
    {
        var created = false;
        await session.ReadAsync(SqlStatement.Read(
                $"INSERT INTO runs ({RunColumns}) VALUES (@id, @status, @selection, @partitions, @tags, @parent, @created, NULL, NULL, @owner) " +
                "ON CONFLICT (run_id) DO NOTHING RETURNING run_id;")
            .Text("id", run.RunId).Text("status", nameof(RunStatus.Queued)).Text("selection", run.Selection)
            .Json("partitions", InstanceJson.Strings(run.Partitions)).Json("tags", InstanceJson.Tags(run.Tags))
            .Text("parent", run.ParentRunId).Time("created", run.CreatedAt).Text("owner", run.Owner),
            async reader => created = await reader.ReadAsync());
        if (!created) throw new InvalidOperationException($"Run '{run.RunId}' already exists: a run id names one run.");
        // Held back and sent with the COMMIT: one round trip for the whole plan on PostgreSQL, however many steps it has.
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
