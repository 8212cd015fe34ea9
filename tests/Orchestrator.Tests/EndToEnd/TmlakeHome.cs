using System.Diagnostics;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>What one `tmlake` invocation printed and returned.</summary>
public sealed record CliResult(int Exit, string Out, string Error)
{
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {Exit}\n--- out\n{Out}\n--- error\n{Error}";
}

/// <summary>A fresh TM_HOME (embedded mode: SQLite instance, local objects, unless <see cref="EnvFile"/> names other backends) and the `tmlake` program run against it.</summary>
public sealed class TmlakeHome : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tmlake-e2e-" + Guid.NewGuid().ToString("N")[..10]);

    public TmlakeHome() => Directory.CreateDirectory(Path);

    /// <summary>When set, every command gets TM_ENV_FILE pointing at this file, as a user who exports it would.</summary>
    public string? EnvFile { get; init; }

    /// <summary>More variables every command gets (e.g. TM_MODELS_DIR).</summary>
    public Dictionary<string, string> Variables { get; } = [];

    /// <summary>The folder of one bucket (tm-bronze, tm-silver, tm-gold, tm-quarantine) of the local lake.</summary>
    public string Bucket(string name) => System.IO.Path.Combine(Path, "lake", name);

    /// <summary>
    /// Runs the real `tmlake` program (built once through ./tmlake) as a user would. Running the CLI in the test host
    /// instead crashed the host about one run in five with a stackless NullReferenceException on a background thread.
    /// </summary>
    public async Task<CliResult> RunAsync(params string[] args)
    {
        using var process = Process.Start(await StartInfoAsync(args)) ?? throw new InvalidOperationException("Could not start dotnet tmlake.dll.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"tmlake {string.Join(' ', args)} ran longer than 5 minutes.");
        }
        return new CliResult(process.ExitCode, await output, await error);
    }

    /// <summary>How to start `tmlake ARGS` against this home, with output redirected (for tests that watch or kill the process).</summary>
    public async Task<ProcessStartInfo> StartInfoAsync(params string[] args)
    {
        var dll = await TmlakeBuild.DllAsync();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        ChildEnvironment.Clean(start);
        start.Environment["TM_HOME"] = Path;
        if (EnvFile is not null) start.Environment["TM_ENV_FILE"] = EnvFile;
        foreach (var (name, value) in Variables) start.Environment[name] = value;
        return start;
    }

    /// <summary>Runs a command that must succeed and returns its output.</summary>
    public async Task<string> OkAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.Exit == 0, $"tmlake {string.Join(' ', args)}: {result}");
        return result.Out;
    }

    /// <summary>`preview ASSET --count [-p PARTITION]`.</summary>
    public async Task<long> CountAsync(string asset, string? partition = null)
    {
        var output = partition is null ? await OkAsync("preview", asset, "--count") : await OkAsync("preview", asset, "--count", "-p", partition);
        return long.Parse(output.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}
