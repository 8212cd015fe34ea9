using Lakehouse.Core.Instance;
using Lakehouse.Core.Tests.Fixtures;
using TestSupport;
using Npgsql;

namespace Lakehouse.Core.Tests.Instance;

/// <summary>The instance store contract on a real PostgreSQL server, with a fresh database per test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresInstanceStoreTests(PostgresServerFixture server) : InstanceStoreContract
{
    protected override Task<string> CreateEmptyDatabaseAsync() => server.CreateDatabaseAsync();

    protected override Task<LakehouseInstance> OpenAsync(string database) =>
        InstanceStores.OpenPostgresAsync(database, maxPoolSize: 8, Clock, CancellationToken.None);

    protected override async Task<IReadOnlyList<int>> ReadAppliedMigrationsAsync(string database)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT version FROM schema_migrations ORDER BY version;", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new List<int>();
        while (await reader.ReadAsync()) versions.Add(reader.GetInt32(0));
        return versions;
    }

    protected override async Task ExecuteSqlAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    protected override string TimeColumn => "timestamptz";

    protected override string TimeLiteral(DateTimeOffset at) => $"'{at.UtcDateTime:yyyy-MM-dd HH:mm:ss}+00'";
}
