using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace TestSupport;

/// <summary>
/// A real PostgreSQL for tests: the server named by TM_TEST_POSTGRES, or a throwaway one started from the local binaries
/// (as the <c>postgres</c> user when running as root) on loopback and a free port; each test class gets fresh databases.
/// </summary>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    private readonly List<string> _databases = [];
    private string? _adminConnectionString;
    private string? _problem;
    private string? _root;
    private string? _binaries;

    public async Task InitializeAsync()
    {
        try
        {
            var external = Environment.GetEnvironmentVariable("TM_TEST_POSTGRES");
            _adminConnectionString = string.IsNullOrWhiteSpace(external) ? await StartServerAsync() : external;
        }
        catch (Exception e)
        {
            // Kept and thrown by CreateDatabaseAsync, so every PostgreSQL test fails with this message instead of being skipped.
            _problem = e.Message;
        }
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        if (_problem is not null || _adminConnectionString is null)
            throw new InvalidOperationException(_problem ?? "The PostgreSQL fixture was not initialized.");
        var name = $"tm_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(_adminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name};", connection);
            await command.ExecuteNonQueryAsync();
        }
        lock (_databases) _databases.Add(name);
        return new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    /// <summary>Creates an empty database with the PostGIS extension (Debian's postgresql-15-postgis-3) and returns its connection string.</summary>
    public async Task<string> CreatePostGisDatabaseAsync()
    {
        var connectionString = await CreateDatabaseAsync();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS postgis;", connection);
        await command.ExecuteNonQueryAsync();
        return connectionString;
    }

    public async Task DisposeAsync()
    {
        if (_root is null)
        {
            // A shared server: remove what the tests created and leave the server running.
            if (_adminConnectionString is null) return;
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_adminConnectionString);
            await connection.OpenAsync();
            foreach (var name in _databases)
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE);", connection);
                await drop.ExecuteNonQueryAsync();
            }
            return;
        }
        NpgsqlConnection.ClearAllPools();
        await RunAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);
        Directory.Delete(_root, recursive: true);
    }

    private string DataDirectory => Path.Combine(_root!, "data");

    private async Task<string> StartServerAsync()
    {
        _binaries = FindBinaries() ?? throw new InvalidOperationException(MissingMessage());
        _root = Path.Combine(Path.GetTempPath(), $"tm-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_root);
        if (IsRoot) await RunAsync("chown", ["postgres:postgres", _root], asPostgres: false);
        await RunAsync("initdb", ["-D", DataDirectory, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"]);
        var port = FreePort();
        // A throwaway server: durability settings off keep the tests fast; the socket goes in our own folder.
        var options = $"-p {port} -c listen_addresses=127.0.0.1 -k {_root} -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        await RunAsync("pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(_root, "server.log"), "-o", options, "-w", "-t", "120", "start"]);
        return new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = port, Username = "postgres", Database = "postgres", Pooling = false,
        }.ConnectionString;
    }

    private static string MissingMessage()
    {
        var where = "PATH, /usr/local/bin and /usr/lib/postgresql/*/bin";
        return Environment.GetEnvironmentVariable("CI") == "true"
            ? $"CI: PostgreSQL server binaries (initdb, pg_ctl) are not installed ({where} searched) and TM_TEST_POSTGRES is not set. " +
              "The CI setup must install them: apt-get install -y postgresql."
            : $"PostgreSQL server binaries (initdb, pg_ctl) were not found in {where}. Install them with `apt-get install postgresql`, " +
              "or set TM_TEST_POSTGRES to the connection string of a server where this user may create databases.";
    }

    private static string? FindBinaries()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/local/bin")
            .Concat(Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(VersionOf).Select(d => Path.Combine(d, "bin"))
                : []);
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    private static int VersionOf(string directory) => int.TryParse(Path.GetFileName(directory), out var v) ? v : 0;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsRoot => OperatingSystem.IsLinux() && Environment.IsPrivilegedProcess;

    /// <summary>Runs a PostgreSQL tool; initdb refuses root, so as root it runs as the postgres user.</summary>
    private async Task RunAsync(string tool, IReadOnlyList<string> arguments, bool asPostgres = true)
    {
        var program = asPostgres ? Path.Combine(_binaries!, tool) : tool;
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (asPostgres && IsRoot)
        {
            start.FileName = "runuser";
            foreach (var a in new[] { "-u", "postgres", "--", program }) start.ArgumentList.Add(a);
        }
        else
        {
            start.FileName = program;
        }
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            var log = _root is not null && File.Exists(Path.Combine(_root, "server.log")) ? await File.ReadAllTextAsync(Path.Combine(_root, "server.log")) : "";
            throw new InvalidOperationException(
                $"`{program} {string.Join(' ', arguments)}` exited with {process.ExitCode}: {await error} {await output} {log}".Trim());
        }
    }
}
