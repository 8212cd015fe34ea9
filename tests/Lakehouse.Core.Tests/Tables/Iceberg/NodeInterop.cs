using System.Diagnostics;

namespace Lakehouse.Core.Tests.Tables.Iceberg;

/// <summary>Runs the test's node scripts, installing their pinned npm packages on first use.</summary>
internal static class NodeInterop
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public static string Folder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "interop", "package.json");
                if (File.Exists(candidate)) return Path.GetDirectoryName(candidate)!;
            }
            throw new DirectoryNotFoundException("No interop/package.json above the test binaries.");
        }
    }

    public static async Task<string> RunAsync(string script, params string[] args)
    {
        var folder = Folder;
        await InstallLock.WaitAsync();
        try
        {
            if (!Directory.Exists(Path.Combine(folder, "node_modules", "icebird")) || !Directory.Exists(Path.Combine(folder, "node_modules", "iceberg-js")))
                await ExecAsync(folder, "npm", "ci", "--no-audit", "--no-fund");
        }
        finally
        {
            InstallLock.Release();
        }
        return await ExecAsync(folder, "node", [script, .. args]);
    }

    private static async Task<string> ExecAsync(string folder, string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
