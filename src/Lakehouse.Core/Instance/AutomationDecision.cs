using Lakehouse.Core.Assets;
using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Instance;

/// <summary>
/// Why one (asset, partition) was or was not requested by the automation daemon, as of the tick that last changed it
/// (<see cref="TickId"/>, <see cref="DecidedAt"/>); <see cref="RunId"/> is the run that a request launched.
/// </summary>
public sealed record AutomationDecision(AssetKey Asset, PartitionKey? Partition, bool Requested, string Reason)
{
    public string? RunId { get; init; }
    public long TickId { get; init; }
    public DateTimeOffset DecidedAt { get; init; }

    /// <summary>Whether <paramref name="other"/> says the same thing (the tick and time it was said aside).</summary>
    public bool SaysTheSameAs(AutomationDecision other) =>
        Requested == other.Requested && RunId == other.RunId && string.Equals(Reason, other.Reason, StringComparison.Ordinal);
}
