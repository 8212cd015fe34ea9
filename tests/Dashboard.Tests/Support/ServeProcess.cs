using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Dashboard.Tests.Support;

/// <summary>
/// `tmlake serve` as a real process (the tmlake.dll built beside the tests) in its own TM_HOME, with the environment a test gives
/// it; disposing kills it if it still runs.
/// </summary>
internal sealed class ServeProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<string> _banner = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Text.StringBuilder _out = new(), _error = new();
    private readonly string _home;

    private ServeProcess(Process process, string home)
    {
        _process = process;
        _home = home;
    }

    public string Output { get { lock (_out) return _out.ToString(); } }
    public string Error { get { lock (_error) return _error.ToString(); } }

    public static ServeProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var home = Path.Combine(Path.GetTempPath(), "tmlake-serve-" + Guid.NewGuid().ToString("N")[..10]);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "tmlake.dll"));
        start.ArgumentList.Add("serve");
        foreach (var a in arguments) start.ArgumentList.Add(a);
        // Only what the test sets: the test host's own TM_*, ASP.NET and Kestrel settings must not leak in.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("TM_", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)
                     || k.StartsWith("Kestrel", StringComparison.OrdinalIgnoreCase) || k.StartsWith("DOTNET_URLS", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        start.Environment["TM_HOME"] = home;
        start.Environment["TM_WORKERS"] = "1";
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet tmlake.dll serve.");
        var serve = new ServeProcess(process, home);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (serve._out) serve._out.AppendLine(e.Data);
            if (e.Data.StartsWith("TmLakehouse dashboard on ", StringComparison.Ordinal)) serve._banner.TrySetResult(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (serve._error) serve._error.AppendLine(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return serve;
    }

    /// <summary>The banner line once the server serves, or null when the process exited first (its exit code then in <see cref="ExitCode"/>).</summary>
    public async Task<string?> ServingOrExitedAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var exited = _process.WaitForExitAsync(cts.Token);
        var first = await Task.WhenAny(_banner.Task, exited);
        if (first == _banner.Task) return await _banner.Task;
        await exited;
        return null;
    }

    public int ExitCode => _process.ExitCode;

    public override string ToString() => $"--- out\n{Output}\n--- error\n{Error}";

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>This machine's first non-loopback IPv4 address, if it has one.</summary>
    public static IPAddress? NonLoopbackAddress() =>
        System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == System.Net.NetworkInformation.OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        try { Directory.Delete(_home, recursive: true); }
        catch (IOException) { }
    }
}
