namespace Lakehouse.Core.Partitions;

/// <summary>Says which upstream partitions a downstream partition reads.</summary>
public abstract record PartitionMapping
{
    /// <summary>The upstream keys (out of those that exist) that <paramref name="downstream"/> depends on; null downstream = unpartitioned.</summary>
    public abstract IReadOnlyList<PartitionKey> UpstreamKeys(PartitionKey? downstream, IReadOnlyList<PartitionKey> existingUpstreamKeys);
}

/// <summary>The same key upstream and downstream.</summary>
public sealed record IdentityPartitionMapping : PartitionMapping
{
    public override IReadOnlyList<PartitionKey> UpstreamKeys(PartitionKey? downstream, IReadOnlyList<PartitionKey> existingUpstreamKeys)
        => downstream is null ? existingUpstreamKeys : [downstream];
}

/// <summary>Every upstream partition (an unpartitioned or coarser asset reads them all).</summary>
public sealed record AllPartitionMapping : PartitionMapping
{
    public override IReadOnlyList<PartitionKey> UpstreamKeys(PartitionKey? downstream, IReadOnlyList<PartitionKey> existingUpstreamKeys)
        => existingUpstreamKeys;
}

/// <summary>
/// All upstream partitions whose <see cref="Dimension"/> equals the downstream key's value for it:
/// Gold per course reads every ingest date of that course.
/// </summary>
public sealed record DimensionPartitionMapping(string Dimension) : PartitionMapping
{
    public override IReadOnlyList<PartitionKey> UpstreamKeys(PartitionKey? downstream, IReadOnlyList<PartitionKey> existingUpstreamKeys)
    {
        if (downstream is null) return existingUpstreamKeys;
        var value = downstream.Get(Dimension);
        return existingUpstreamKeys.Where(k => k.Get(Dimension) == value).ToList();
    }
}
