using Lakehouse.Core.Instance.Storage;
using Npgsql;
using static Lakehouse.Core.Instance.Postgres.PostgresCommands;

namespace Lakehouse.Core.Instance.Postgres;

/// <summary>Applies the numbered PostgreSQL migrations not yet in <c>schema_migrations</c>.</summary>
internal static class PostgresMigrator
{
    /// <summary>Any fixed number shared by every process migrating an instance database.</summary>
    private const long LockKey = 0x746d_6c61_6b65; // "tmlake"

    /// <summary>
    /// Returns the versions it applied. The advisory lock is taken before anything else, even creating
    /// <c>schema_migrations</c>, so two processes starting at once apply each script exactly once.
    /// </summary>
    public static Task<IReadOnlyList<int>> MigrateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
        dataSource.InTransactionAsync<IReadOnlyList<int>>(async connection =>
        {
            await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@key);", cancellationToken, Long("key", LockKey));
            await connection.ExecuteAsync(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());",
                cancellationToken);
            var applied = new HashSet<int>();
            await using (var read = connection.Command("SELECT version FROM schema_migrations;"))
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
                while (await reader.ReadAsync(cancellationToken)) applied.Add(reader.GetInt32(0));

            var done = new List<int>();
            foreach (var script in MigrationScript.Load("postgres").Where(s => !applied.Contains(s.Version)))
            {
                await connection.ExecuteAsync(script.Sql, cancellationToken);
                await connection.ExecuteAsync("INSERT INTO schema_migrations (version, name) VALUES (@v, @n);", cancellationToken,
                    Int("v", script.Version), Text("n", script.Name));
                done.Add(script.Version);
            }
            return done;
        }, cancellationToken);
}
