namespace Lakehouse.Core.Partitions;

/// <summary>
/// One partition of an asset. Single-dimension keys are bare values (<c>erinhills</c>); multi-dimension keys
/// are <c>dim=value</c> pairs joined by commas in the definition's dimension order
/// (<c>course_id=erinhills,ingest_date=2025-06-01</c>) — the same text the CLI and the API accept.
/// </summary>
public sealed record PartitionKey : IComparable<PartitionKey>
{
    public PartitionKey(string value)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException("A partition key cannot be empty.", nameof(value));
        Value = value;
    }

    public string Value { get; }

    /// <summary>The dimension values of a multi-dimension key; empty for a single-dimension key.</summary>
    public IReadOnlyDictionary<string, string> Dimensions
    {
        get
        {
            if (!Value.Contains('=')) return new Dictionary<string, string>();
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in Value.Split(','))
            {
                var eq = pair.IndexOf('=');
                if (eq <= 0) throw new FormatException($"'{Value}' is not a partition key: expected dim=value pairs joined by ','.");
                // A repeated dimension would otherwise silently keep only its last value.
                if (!result.TryAdd(pair[..eq].Trim(), pair[(eq + 1)..].Trim()))
                    throw new FormatException($"'{Value}' names dimension '{pair[..eq].Trim()}' more than once.");
            }
            return result;
        }
    }

    /// <summary>The value of one dimension; for a single-dimension key, the key itself.</summary>
    public string Get(string dimension) =>
        Value.Contains('=')
            ? Dimensions.TryGetValue(dimension, out var v) ? v : throw new KeyNotFoundException($"Partition key '{Value}' has no dimension '{dimension}'.")
            : Value;

    public static PartitionKey Multi(IEnumerable<KeyValuePair<string, string>> dims) =>
        new(string.Join(',', dims.Select(d => $"{d.Key}={d.Value}")));

    public int CompareTo(PartitionKey? other) => string.CompareOrdinal(Value, other?.Value);

    public override string ToString() => Value;
}
