using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using Lakehouse.Core.Config;

namespace TestSupport;

/// <summary>
/// An S3 endpoint for the tests: TM_TEST_S3_ENDPOINT when set, otherwise s3rver (npm, pinned in s3rver/package.json)
/// started on 127.0.0.1 with a port the OS picks, and stopped when the tests end. A missing node or s3rver fails the tests.
/// </summary>
public sealed partial class S3ServerFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private Process? _server;
    private string? _dataDirectory;

    public string Endpoint { get; private set; } = "";
    public string AccessKey { get; private set; } = "S3RVER";
    public string SecretKey { get; private set; } = "S3RVER";

    /// <summary>Options whose layers map to buckets that no other test uses (each bucket is created on first use).</summary>
    public LakehouseOptions NewOptions()
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        return new LakehouseOptions
        {
            ObjectStore = ObjectStoreKind.S3,
            S3Endpoint = Endpoint,
            S3ForcePathStyle = true,
            S3AccessKey = AccessKey,
            S3SecretKey = SecretKey,
            Buckets = Lakehouse.Core.Objects.Layers.All.ToDictionary(l => l, l => $"t-{l}-{suffix}"),
        };
    }

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("TM_TEST_S3_ENDPOINT") is { Length: > 0 } external)
        {
            Endpoint = external;
            AccessKey = Environment.GetEnvironmentVariable("TM_TEST_S3_ACCESS_KEY") ?? AccessKey;
            SecretKey = Environment.GetEnvironmentVariable("TM_TEST_S3_SECRET_KEY") ?? SecretKey;
            return;
        }

        var folder = FindS3rverFolder();
        var script = Path.Combine(folder, "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script)) await RunAsync("npm", "install --no-audit --no-fund", folder);
        if (!File.Exists(script)) throw new InvalidOperationException($"npm install in {folder} did not produce {script}.");

        _dataDirectory = Directory.CreateTempSubdirectory("tm-s3rver-").FullName;
        // s3rver's list continuation tokens use DES, which OpenSSL 3 only offers through its legacy provider.
        _server = Start("node", $"--openssl-legacy-provider \"{script}\" --directory \"{_dataDirectory}\" --address 127.0.0.1 --port 0 --silent", folder);
        Endpoint = await WaitForListeningAsync(_server);
    }

    public Task DisposeAsync()
    {
        if (_server is { HasExited: false }) _server.Kill(entireProcessTree: true);
        _server?.WaitForExit(10_000);
        _server?.Dispose();
        if (_dataDirectory is not null && Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
        return Task.CompletedTask;
    }

    private static string FindS3rverFolder()
    {
        var project = typeof(S3ServerFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "TestSupportDirectory")?.Value;
        var folder = project is null ? null : Path.Combine(project, "s3rver");
        if (folder is null || !File.Exists(Path.Combine(folder, "package.json")))
            throw new InvalidOperationException($"No s3rver/package.json in the TestSupport project folder ({project ?? "unknown"}); it pins the S3 test server.");
        return folder;
    }

    private static Process Start(string fileName, string arguments, string workingDirectory)
    {
        var info = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try
        {
            return Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                $"'{fileName}' is not installed; the S3 tests need Node.js and npm (apt-get install nodejs npm), or TM_TEST_S3_ENDPOINT.", e);
        }
    }

    private static async Task RunAsync(string fileName, string arguments, string workingDirectory)
    {
        using var process = Start(fileName, arguments, workingDirectory);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"'{fileName} {arguments}' in {workingDirectory} exited {process.ExitCode}:\n{await output}\n{await error}");
    }

    private static async Task<string> WaitForListeningAsync(Process server)
    {
        // s3rver prints "S3rver listening on <address>:<port>" once its socket is bound, even with --silent.
        var error = server.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        while (await server.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            var match = ListeningLine().Match(line);
            if (match.Success)
            {
                _ = server.StandardOutput.ReadToEndAsync(CancellationToken.None);
                return $"http://127.0.0.1:{match.Groups["port"].Value}";
            }
        }
        throw new InvalidOperationException($"s3rver exited before it listened:\n{await error}");
    }

    [GeneratedRegex(@"listening on [^\s]+:(?<port>\d+)")]
    private static partial Regex ListeningLine();
}
