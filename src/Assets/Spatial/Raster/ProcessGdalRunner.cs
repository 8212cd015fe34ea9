using System.Diagnostics;

namespace TmLakehouse.Assets.Spatial.Raster;

/// <summary>Runs Debian's gdal-bin tools as child processes (arguments passed as a list: no shell, no quoting).</summary>
public sealed class ProcessGdalRunner : IGdalRunner
{
    public async Task<GdalResult> RunAsync(string tool, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return new GdalResult(process.ExitCode, await output, await error);
    }
}
