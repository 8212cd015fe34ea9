using Lakehouse.Core.Assets;
using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Execution;

/// <summary>One step of a run: an asset, and one of its partitions when it is partitioned.</summary>
public sealed record StepKey(AssetKey Asset, PartitionKey? Partition)
{
    /// <summary>Text form <c>asset[partition]</c>, unique within a run.</summary>
    public override string ToString() => Partition is null ? Asset.Value : $"{Asset.Value}[{Partition.Value}]";

    public static StepKey Parse(string text)
    {
        var open = text.IndexOf('[');
        return open < 0
            ? new StepKey(AssetKey.Parse(text), null)
            : new StepKey(AssetKey.Parse(text[..open]), new PartitionKey(text[(open + 1)..^1]));
    }
}
