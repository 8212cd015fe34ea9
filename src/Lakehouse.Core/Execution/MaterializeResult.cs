using Lakehouse.Core.Assets;
using Lakehouse.Core.Quality;

namespace Lakehouse.Core.Execution;

/// <summary>
/// What an asset computation reports: metadata for the materialization event and the results of its checks. A multi-asset
/// computation returns its step's own asset's result with one result for each of its other assets in <see cref="Others"/>.
/// </summary>
public sealed record MaterializeResult
{
    /// <summary>Which asset this result is for; null means the step's own.</summary>
    public AssetKey? AssetKey { get; init; }
    public IReadOnlyDictionary<string, MetadataValue> Metadata { get; init; } = new Dictionary<string, MetadataValue>();
    public IReadOnlyList<AssetCheckResult> CheckResults { get; init; } = [];
    /// <summary>The results of the other assets a multi-asset computation materialized in the same pass.</summary>
    public IReadOnlyList<MaterializeResult> Others { get; init; } = [];

    public static MaterializeResult Empty { get; } = new();
}
