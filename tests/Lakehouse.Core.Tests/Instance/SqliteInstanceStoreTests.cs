using Lakehouse.Core.Instance;
using Microsoft.Data.Sqlite;

namespace Lakehouse.Core.Tests.Instance;

/// <summary>The instance store contract on SQLite, with a fresh file per test.</summary>
public sealed class SqliteInstanceStoreTests : InstanceStoreContract
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"tm-instance-{Guid.NewGuid():N}");

    protected override Task<string> CreateEmptyDatabaseAsync() =>
        Task.FromResult(Path.Combine(_folder, $"{Guid.NewGuid():N}", "instance.db"));

    protected override Task<LakehouseInstance> OpenAsync(string database) => InstanceStores.OpenSqliteAsync(database, Clock, CancellationToken.None);

    protected override async Task<IReadOnlyList<int>> ReadAppliedMigrationsAsync(string database)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = new SqliteCommand("SELECT version FROM schema_migrations ORDER BY version;", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new List<int>();
        while (await reader.ReadAsync()) versions.Add(reader.GetInt32(0));
        return versions;
    }

    protected override async Task ExecuteSqlAsync(string database, string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = new SqliteCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    protected override string TimeColumn => "INTEGER";

    protected override string TimeLiteral(DateTimeOffset at) => at.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Open_PutsTheFileInWriteAheadLogMode()
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Database, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = new SqliteCommand("PRAGMA journal_mode;", connection);
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }
}
