using Lakehouse.Core;

namespace TmLakehouse.Assets.Spatial;

/// <summary>A spatial input that cannot be used as given: names the file and, where there is one, the feature index.</summary>
public sealed class SpatialInputException(string file, int? featureIndex, string problem, Exception? inner = null)
    : UserFacingException(featureIndex is { } i ? $"{file}, feature {i}: {problem}" : $"{file}: {problem}", inner)
{
    public string File { get; } = file;
    public int? FeatureIndex { get; } = featureIndex;
    public string Problem { get; } = problem;
}
