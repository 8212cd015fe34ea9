using Lakehouse.Core.Instance.Storage;

namespace Lakehouse.Core.Instance.Sqlite;

/// <summary>Applies the numbered SQLite migrations not yet in <c>schema_migrations</c>.</summary>
internal static class SqliteMigrator
{
    /// <summary>Returns the versions it applied; one write-locked transaction, so two processes starting at once apply each script once.</summary>
    public static Task<IReadOnlyList<int>> MigrateAsync(SqliteDatabase database, TimeProvider clock, CancellationToken cancellationToken) =>
        database.WriteAsync<IReadOnlyList<int>>(async connection =>
        {
            await connection.ExecuteAsync(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);",
                cancellationToken);
            var applied = new HashSet<int>();
            await using (var read = connection.Command("SELECT version FROM schema_migrations;"))
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
                while (await reader.ReadAsync(cancellationToken)) applied.Add(reader.GetInt32(0));

            var done = new List<int>();
            foreach (var script in MigrationScript.Load("sqlite").Where(s => !applied.Contains(s.Version)))
            {
                await connection.ExecuteAsync(script.Sql, cancellationToken);
                await connection.ExecuteAsync(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($v, $n, $at);", cancellationToken,
                    ("$v", script.Version), ("$n", script.Name), ("$at", SqliteCommands.Ticks(clock.GetUtcNow())));
                done.Add(script.Version);
            }
            return done;
        }, cancellationToken);
}
