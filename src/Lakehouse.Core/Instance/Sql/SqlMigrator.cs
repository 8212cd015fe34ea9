using Lakehouse.Core.Instance.Storage;

namespace Lakehouse.Core.Instance.Sql;

/// <summary>Applies the numbered migrations of the dialect's database not yet in <c>schema_migrations</c>.</summary>
internal static class SqlMigrator
{
    /// <summary>
    /// Returns the versions it applied. One write transaction, whose lock (SQLite's write lock, PostgreSQL's advisory lock)
    /// is taken before anything else, even creating <c>schema_migrations</c>, so two processes starting at once apply each script once.
    /// </summary>
    public static async Task<IReadOnlyList<int>> MigrateAsync(SqlDialect dialect, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.BeginWriteAsync(dialect, cancellationToken);
        if (dialect.MigrationLock.Length > 0) await session.ReadAsync(SqlStatement.Read(dialect.MigrationLock), _ => Task.CompletedTask);
        await session.ExecuteScriptAsync(dialect.Types(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at {time} NOT NULL);"));
        var applied = (await session.ListAsync(SqlStatement.Read("SELECT version FROM schema_migrations;"), r => r.GetInt32(0))).ToHashSet();
        var done = new List<int>();
        foreach (var script in MigrationScript.Load(dialect.Name).Where(s => !applied.Contains(s.Version)))
        {
            await session.ExecuteScriptAsync(dialect.Types(script.Sql));
            session.Queue(new SqlStatement("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @at);")
                .Int("v", script.Version).Text("n", script.Name).Time("at", clock.GetUtcNow()));
            done.Add(script.Version);
        }
        await session.CommitAsync();
        return done;
    }
}
