using Npgsql;
using TestSupport;

namespace TmLakehouse.Bench;

/// <summary>
/// The PostgreSQL the benchmark measures: `--postgres CONN` / TM_BENCH_POSTGRES when given (a fresh database is created on
/// it when the user may), else a throwaway local server started like the test fixture does; null when neither works.
/// </summary>
internal sealed class BenchPostgres : IAsyncDisposable
{
    private readonly PostgresServerFixture? _server;

    private BenchPostgres(PostgresServerFixture? server, string connectionString)
    {
        _server = server;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<BenchPostgres?> OpenAsync(string? given, bool postgis = false)
    {
        if (given is not null) return new BenchPostgres(null, given);
        var server = new PostgresServerFixture();
        await server.InitializeAsync();
        try
        {
            return new BenchPostgres(server, postgis ? await server.CreatePostGisDatabaseAsync() : await server.CreateDatabaseAsync());
        }
        catch (InvalidOperationException e)
        {
            Console.WriteLine($"PostgreSQL: not measured ({e.Message})");
            await server.DisposeAsync();
            return null;
        }
    }

    /// <summary>Connections to this database right now, the poller's own included.</summary>
    public static async Task<long> ConnectionsAsync(NpgsqlConnection poller)
    {
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database();", poller);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
