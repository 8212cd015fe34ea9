using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Lakehouse.Core.Tests.Tables.Catalog;

/// <summary>A throwaway PostgreSQL server (run as the postgres user on 127.0.0.1 and a free port) for catalog tests.</summary>
public sealed class IcebergPostgresFixture : IAsyncLifetime
{
    private const string BinDir = "/usr/lib/postgresql/15/bin";
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"tm-iceberg-pg-{Guid.NewGuid():N}");
    private string DataDir => Path.Combine(_root, "data");
    private int _port;

    public string AdminConnectionString => $"Host=127.0.0.1;Port={_port};Username=postgres;Database=postgres;Pooling=false";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        await RunAsync("chown", "postgres:postgres", _root);
        _port = FreePort();
        await RunAsync("runuser", "-u", "postgres", "--", $"{BinDir}/initdb", "-D", DataDir, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8");
        await RunAsync("runuser", "-u", "postgres", "--", $"{BinDir}/pg_ctl", "-D", DataDir, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60",
            "-o", $"-p {_port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100", "start");
    }

    /// <summary>A fresh database, so tests do not see each other's tables.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"t_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return $"Host=127.0.0.1;Port={_port};Username=postgres;Database={name};Maximum Pool Size=20";
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await RunAsync("runuser", "-u", "postgres", "--", $"{BinDir}/pg_ctl", "-D", DataDir, "-m", "immediate", "-w", "stop");
        }
        finally
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/tmp" };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {await stdout} {await stderr}");
    }
}
