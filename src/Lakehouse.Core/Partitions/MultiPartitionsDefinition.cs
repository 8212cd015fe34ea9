namespace Lakehouse.Core.Partitions;

/// <summary>
/// Partitions over several dimensions (course_id × ingest_date). When <see cref="RegisteredKeysName"/> is set, the keys
/// are the composite keys registered under that name (only the pairs that actually landed); otherwise the cartesian product.
/// </summary>
public sealed record MultiPartitionsDefinition(IReadOnlyList<(string Name, PartitionsDefinition Definition)> Dimensions, string? RegisteredKeysName = null) : PartitionsDefinition
{
    public override IReadOnlyList<string> DimensionNames => Dimensions.Select(d => d.Name).ToList();

    public override async Task<IReadOnlyList<PartitionKey>> GetKeysAsync(IPartitionKeySource source, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (RegisteredKeysName is not null)
            return (await source.GetDynamicPartitionKeysAsync(RegisteredKeysName, cancellationToken)).Select(Parse).ToList();

        IEnumerable<List<KeyValuePair<string, string>>> product = [[]];
        foreach (var (name, definition) in Dimensions)
        {
            var keys = await definition.GetKeysAsync(source, clock, cancellationToken);
            product = product.SelectMany(prefix => keys.Select(k => new List<KeyValuePair<string, string>>(prefix) { new(name, k.Value) })).ToList();
        }
        return product.Select(PartitionKey.Multi).ToList();
    }

    public override PartitionKey Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new FormatException($"An empty partition key was given; write {string.Join(",", DimensionNames.Select(d => d + "=..."))}.");
        var given = new PartitionKey(text.Trim()).Dimensions;
        if (given.Count == 0)
            throw new FormatException($"'{text}' is not a key of this multi-partitioned asset: write {string.Join(",", DimensionNames.Select(d => d + "=..."))}.");
        var unknown = given.Keys.Except(DimensionNames).ToList();
        if (unknown.Count > 0) throw new FormatException($"'{text}' names unknown dimension(s) {string.Join(", ", unknown)}; this asset has {string.Join(", ", DimensionNames)}.");
        var missing = DimensionNames.Except(given.Keys).ToList();
        if (missing.Count > 0) throw new FormatException($"'{text}' lacks dimension(s) {string.Join(", ", missing)}.");
        return PartitionKey.Multi(Dimensions.Select(d => new KeyValuePair<string, string>(d.Name, d.Definition.Parse(given[d.Name]).Value)));
    }
}
