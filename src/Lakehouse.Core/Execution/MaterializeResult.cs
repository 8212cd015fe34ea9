using Lakehouse.Core.Quality;

namespace Lakehouse.Core.Execution;

/// <summary>What an asset computation reports: metadata for the materialization event and the results of its checks.</summary>
public sealed record MaterializeResult
{
    public IReadOnlyDictionary<string, MetadataValue> Metadata { get; init; } = new Dictionary<string, MetadataValue>();
    public IReadOnlyList<AssetCheckResult> CheckResults { get; init; } = [];

    public static MaterializeResult Empty { get; } = new();
}
