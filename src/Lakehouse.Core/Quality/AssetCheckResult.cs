using Lakehouse.Core.Execution;

namespace Lakehouse.Core.Quality;

/// <summary>The outcome of one asset check for one materialization.</summary>
public sealed record AssetCheckResult(string CheckName, bool Passed, AssetCheckSeverity Severity = AssetCheckSeverity.Error, bool Blocking = true)
{
    public string Description { get; init; } = "";
    public IReadOnlyDictionary<string, MetadataValue> Metadata { get; init; } = new Dictionary<string, MetadataValue>();

    /// <summary>True when this result must stop the step and its downstream.</summary>
    public bool StopsDownstream => !Passed && Blocking && Severity == AssetCheckSeverity.Error;
}
