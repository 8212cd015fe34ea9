namespace TmLakehouse.Assets.Spatial.Raster;

/// <summary>Runs one GDAL command-line tool (gdalinfo, gdalwarp, gdal_translate, ogr2ogr): the seam unit tests replace.</summary>
public interface IGdalRunner
{
    Task<GdalResult> RunAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        RunAsync(tool, arguments, new Dictionary<string, string>(), cancellationToken);

    /// <summary>Runs the tool with <paramref name="environment"/> added to its own (a secret such as PGPASSWORD goes there, never in the arguments).</summary>
    Task<GdalResult> RunAsync(string tool, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken);
}

/// <summary>A tool's exit code and what it printed.</summary>
public sealed record GdalResult(int ExitCode, string StandardOutput, string StandardError);
