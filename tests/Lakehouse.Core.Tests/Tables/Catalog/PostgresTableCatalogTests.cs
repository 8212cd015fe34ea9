using Lakehouse.Core.Tables;
using Lakehouse.Core.Tests.Fixtures;
using Npgsql;
using TestSupport;

namespace Lakehouse.Core.Tests.Tables.Catalog;

/// <summary>The catalog contract on a real PostgreSQL server (a fresh database per test).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresTableCatalogTests(PostgresServerFixture postgres) : TableCatalogContract, IAsyncLifetime
{
    private TableTestLake _lake = null!;
    private string _connection = "";

    public async Task InitializeAsync()
    {
        _connection = await postgres.CreateDatabaseAsync();
        _lake = new TableTestLake(_connection);
    }

    public Task DisposeAsync()
    {
        _lake.Dispose();
        return Task.CompletedTask;
    }

    protected override ITableCatalog NewCatalog() => _lake.NewCatalog();

    protected override async Task<string> MetadataLocationAsync(TableIdentifier id)
    {
        await using var connection = new NpgsqlConnection(_connection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT metadata_location FROM iceberg_tables WHERE table_namespace = @n AND table_name = @t", connection);
        command.Parameters.AddWithValue("n", id.Namespace);
        command.Parameters.AddWithValue("t", id.Name);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
