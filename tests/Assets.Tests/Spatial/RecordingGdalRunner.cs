using TmLakehouse.Assets.Spatial.Raster;

namespace Assets.Tests.Spatial;

/// <summary>Passes every call on to another runner and keeps what was asked.</summary>
internal sealed class RecordingGdalRunner(IGdalRunner inner) : IGdalRunner
{
    public List<(string Tool, List<string> Arguments, IReadOnlyDictionary<string, string> Environment)> Calls { get; } = [];

    public Task<GdalResult> RunAsync(string tool, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        Calls.Add((tool, arguments.ToList(), environment));
        return inner.RunAsync(tool, arguments, environment, cancellationToken);
    }
}
