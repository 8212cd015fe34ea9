using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Assets;

/// <summary>Checks that a dependency's partition mapping can relate the downstream asset's partitions to the upstream ones.</summary>
internal static class PartitionAlignment
{
    /// <summary>The problem with this dependency, or null when its partitions line up.</summary>
    public static string? Problem(AssetSpec downstream, AssetDependency dependency, AssetSpec upstream)
    {
        var down = downstream.Partitions;
        var up = upstream.Partitions;
        var edge = $"{downstream.Key} depends on {upstream.Key}";
        switch (dependency.Mapping)
        {
            case null or IdentityPartitionMapping:
                if (down is null && up is null) return null;
                var how = dependency.Mapping is null ? "without a partition mapping" : "with an identity mapping";
                if (down is null || up is null)
                    return $"{edge} {how}, but {(down is null ? downstream.Key : upstream.Key)} is unpartitioned and " +
                           $"{(down is null ? upstream.Key : downstream.Key)} is partitioned by {Describe((down ?? up)!)}; " +
                           "use AllPartitionMapping.";
                if (down.DimensionNames.SequenceEqual(up.DimensionNames, StringComparer.Ordinal)) return null;
                return $"{edge} {how}, but {downstream.Key} is partitioned by {Describe(down)} and {upstream.Key} by {Describe(up)}; " +
                       "give a DimensionPartitionMapping or AllPartitionMapping.";
            case DimensionPartitionMapping dimension:
                var lacking = new[] { (downstream.Key, down), (upstream.Key, up) }
                    .Where(s => s.Item2 is null || !s.Item2.DimensionNames.Contains(dimension.Dimension, StringComparer.Ordinal))
                    .Select(s => $"{s.Item1} ({(s.Item2 is null ? "unpartitioned" : "partitioned by " + Describe(s.Item2))})")
                    .ToList();
                return lacking.Count == 0
                    ? null
                    : $"{edge} through dimension '{dimension.Dimension}', which {string.Join(" and ", lacking)} {(lacking.Count == 1 ? "does" : "do")} not have.";
            default:
                // AllPartitionMapping fits any pair, and a custom mapping knows its own rules.
                return null;
        }
    }

    private static string Describe(PartitionsDefinition definition) => string.Join(" × ", definition.DimensionNames);
}
