namespace Lakehouse.Core.Partitions;

/// <summary>The set of partitions an asset is split into.</summary>
public abstract record PartitionsDefinition
{
    /// <summary>The dimension names; one name for single-dimension definitions.</summary>
    public abstract IReadOnlyList<string> DimensionNames { get; }

    /// <summary>Every key that exists now (static list, days up to today, or keys the instance knows).</summary>
    public abstract Task<IReadOnlyList<PartitionKey>> GetKeysAsync(IPartitionKeySource source, TimeProvider clock, CancellationToken cancellationToken);

    /// <summary>Turns user text (a bare value or dim=value pairs in any order) into the canonical key, or explains why it cannot.</summary>
    public abstract PartitionKey Parse(string text);
}
