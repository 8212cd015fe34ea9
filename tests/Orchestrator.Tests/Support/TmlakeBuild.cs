using System.Diagnostics;

namespace Orchestrator.Tests.Support;

/// <summary>
/// The `tmlake` CLI as a real program: built once per test run through the repository's `./tmlake` script (which rebuilds
/// .build/tmlake only when the sources changed), so tests can start worker processes and kill them.
/// </summary>
public static class TmlakeBuild
{
    private static readonly Lazy<Task<string>> Dll = new(BuildAsync);

    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The path of tmlake.dll, built if needed.</summary>
    public static Task<string> DllAsync() => Dll.Value;

    private static async Task<string> BuildAsync()
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = RepositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(RepositoryRoot, "tmlake"), "--help" }) start.ArgumentList.Add(a);
        ChildEnvironment.Clean(start);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start bash to build tmlake.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("Building tmlake took more than 10 minutes.");
        }
        var dll = Path.Combine(RepositoryRoot, ".build", "tmlake", "tmlake.dll");
        if (process.ExitCode != 0 || !File.Exists(dll))
            throw new InvalidOperationException($"`./tmlake --help` exited {process.ExitCode}:\n{await error}\n{await output}");
        return dll;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TmLakehouse.sln")) && File.Exists(Path.Combine(dir.FullName, "tmlake")))
                return dir.FullName;
        throw new InvalidOperationException($"No TmLakehouse.sln with a tmlake script above {AppContext.BaseDirectory}.");
    }
}
