using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Assets;

/// <summary>An upstream asset, with how the downstream partitions map onto upstream ones (identity when null).</summary>
public sealed record AssetDependency(AssetKey Key, PartitionMapping? Mapping = null);
