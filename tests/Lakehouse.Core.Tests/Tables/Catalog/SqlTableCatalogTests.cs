using Lakehouse.Core.Tables;
using TestSupport;
using static Lakehouse.Core.Tests.Tables.TableTestLake;

namespace Lakehouse.Core.Tests.Tables.Catalog;

/// <summary>The catalog contract on SQLite, plus the JDBC layout other engines read.</summary>
public sealed class SqlTableCatalogTests : TableCatalogContract, IDisposable
{
    private static readonly DateOnly May1 = new(2024, 5, 1);
    private readonly TableTestLake _lake = new();

    public void Dispose() => _lake.Dispose();

    protected override ITableCatalog NewCatalog() => _lake.NewCatalog();

    protected override async Task<string> MetadataLocationAsync(TableIdentifier id)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_lake.CatalogPath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT metadata_location FROM iceberg_tables WHERE table_namespace = '{id.Namespace}' AND table_name = '{id.Name}'";
        return (string)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Catalog_UsesTheJdbcLayout_ThatOtherEnginesRead()
    {
        var table = await _lake.CreateEventsAsync();
        await TableTestLake.AppendAsync(table, [Row(1, "erin", May1)]);

        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_lake.CatalogPath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT catalog_name, table_namespace, table_name, metadata_location, previous_metadata_location, iceberg_type FROM iceberg_tables";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("tmlake", reader.GetString(0));
        Assert.Equal("silver", reader.GetString(1));
        Assert.Equal("events", reader.GetString(2));
        Assert.Matches(@"^file:///.*/events/metadata/00001-[0-9a-f-]{36}\.metadata\.json$", reader.GetString(3));
        Assert.Matches(@"/events/metadata/00000-[0-9a-f-]{36}\.metadata\.json$", reader.GetString(4));
        Assert.Equal("TABLE", reader.GetString(5));
        Assert.False(await reader.ReadAsync());
        await reader.CloseAsync();
        command.CommandText = "SELECT namespace, property_key, property_value FROM iceberg_namespace_properties";
        await using var ns = await command.ExecuteReaderAsync();
        Assert.True(await ns.ReadAsync());
        Assert.Equal(("silver", "exists", "true"), (ns.GetString(0), ns.GetString(1), ns.GetString(2)));
    }
}
