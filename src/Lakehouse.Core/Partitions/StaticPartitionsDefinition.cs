namespace Lakehouse.Core.Partitions;

/// <summary>A fixed list of partition keys declared in code.</summary>
public sealed record StaticPartitionsDefinition(string Dimension, IReadOnlyList<string> Keys) : PartitionsDefinition
{
    public override IReadOnlyList<string> DimensionNames => [Dimension];

    public override Task<IReadOnlyList<PartitionKey>> GetKeysAsync(IPartitionKeySource source, TimeProvider clock, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<PartitionKey>>(Keys.Select(k => new PartitionKey(k)).ToList());

    public override PartitionKey Parse(string text)
    {
        var value = SingleDimension.Value(Dimension, text);
        if (!Keys.Contains(value)) throw new FormatException($"'{value}' is not a partition of dimension '{Dimension}' (known: {string.Join(", ", Keys)}).");
        return new PartitionKey(value);
    }
}
