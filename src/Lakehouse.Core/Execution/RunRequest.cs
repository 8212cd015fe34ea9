namespace Lakehouse.Core.Execution;

/// <summary>
/// What a user asks for: an asset selection (<c>silver/*</c>, <c>+gold/fact_rounds</c>), partition keys in the CLI's syntax
/// (empty = each selected asset's partitions named by the keys, or none), and free-form tags.
/// </summary>
public sealed record RunRequest(string Selection)
{
    public IReadOnlyList<string> Partitions { get; init; } = [];
    public bool AllPartitions { get; init; }

    /// <summary>
    /// The partitions of each selected asset (by asset key), for a run whose assets need different partitions (an automation run
    /// of one group): every partitioned asset of the selection runs exactly its own list, never another asset's. Replaces
    /// <see cref="Partitions"/>, which must then be empty.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? PartitionsByAsset { get; init; }
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}
