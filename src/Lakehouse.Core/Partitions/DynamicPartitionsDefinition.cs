namespace Lakehouse.Core.Partitions;

/// <summary>Partition keys added at run time (a course or an ingest date appears when a file lands), kept by the instance.</summary>
public sealed record DynamicPartitionsDefinition(string Name, string Dimension) : PartitionsDefinition
{
    public override IReadOnlyList<string> DimensionNames => [Dimension];

    public override async Task<IReadOnlyList<PartitionKey>> GetKeysAsync(IPartitionKeySource source, TimeProvider clock, CancellationToken cancellationToken)
        => (await source.GetDynamicPartitionKeysAsync(Name, cancellationToken)).Select(k => new PartitionKey(k)).ToList();

    public override PartitionKey Parse(string text) => new(SingleDimension.Value(Dimension, text));
}
