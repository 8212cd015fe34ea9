using TmLakehouse.Assets;
using TmLakehouse.Orchestrator.Cli;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>What one `tmlake` invocation printed and returned.</summary>
public sealed record CliResult(int Exit, string Out, string Error)
{
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {Exit}\n--- out\n{Out}\n--- error\n{Error}";
}

/// <summary>A fresh TM_HOME (embedded mode: SQLite instance, local objects) and the `tmlake` CLI run in-process against it.</summary>
public sealed class TmlakeHome : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tmlake-e2e-" + Guid.NewGuid().ToString("N")[..10]);

    public TmlakeHome() => Directory.CreateDirectory(Path);

    /// <summary>The folder of one bucket (tm-bronze, tm-silver, tm-gold, tm-quarantine) of the local lake.</summary>
    public string Bucket(string name) => System.IO.Path.Combine(Path, "lake", name);

    public async Task<CliResult> RunAsync(params string[] args)
    {
        // Synchronized like Console.Out and Console.Error: steps run on several threads and may log at once.
        var output = new StringWriter();
        var error = new StringWriter();
        var environment = new CliEnvironment(Definitions.All)
        {
            Out = TextWriter.Synchronized(output),
            Error = TextWriter.Synchronized(error),
            Variables = new Dictionary<string, string> { ["TM_HOME"] = Path },
        };
        var exit = await TmlakeCli.RunAsync(args, environment);
        return new CliResult(exit, output.ToString(), error.ToString());
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
