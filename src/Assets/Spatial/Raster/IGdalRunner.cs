namespace TmLakehouse.Assets.Spatial.Raster;

/// <summary>Runs one GDAL command-line tool (gdalinfo, gdalwarp, gdal_translate): the seam unit tests replace.</summary>
public interface IGdalRunner
{
    Task<GdalResult> RunAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken);
}

/// <summary>A tool's exit code and what it printed.</summary>
public sealed record GdalResult(int ExitCode, string StandardOutput, string StandardError);
