using Lakehouse.Core.Assets;
using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Instance;

/// <summary>Filters for reading the event log, oldest first after <see cref="AfterId"/> (or newest first when <see cref="Descending"/>).</summary>
public sealed record EventQuery
{
    public string? RunId { get; init; }
    public AssetKey? Asset { get; init; }
    public PartitionKey? Partition { get; init; }
    public IReadOnlyList<EventType>? Types { get; init; }
    public long AfterId { get; init; }
    public bool Descending { get; init; }
    public int Limit { get; init; } = 1000;
}
