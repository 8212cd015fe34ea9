using Lakehouse.Core.Instance;
using Lakehouse.Core.Partitions;

namespace TmLakehouse.Orchestrator.Automation;

/// <summary>
/// What a downstream partition needs to know of the upstream partitions it reads from one dependency, folded in one pass over
/// the upstream's partitions: the newest materialization, whether every one is materialized (and the oldest), and one example
/// each of a partition missing, in progress, failed, or requested in this tick.
/// </summary>
internal sealed class UpstreamSummary
{
    public int Partitions { get; private set; }
    public long? NewestEventId { get; private set; }
    public PartitionKey? NewestKey { get; private set; }
    public DateTimeOffset? NewestAt { get; private set; }
    /// <summary>The oldest materialization time; only meaningful when <see cref="Missing"/> is null.</summary>
    public DateTimeOffset? OldestAt { get; private set; }
    public PartitionKey? OldestKey { get; private set; }
    public PartitionKey? Missing { get; private set; }
    public bool AnyMissing { get; private set; }
    public PartitionKey? InProgress { get; private set; }
    public bool AnyInProgress { get; private set; }
    public AssetPartitionStatus? Failed { get; private set; }
    public bool Requested { get; private set; }

    public void Add(PartitionKey? key, AssetPartitionStatus? status, bool inProgress, bool requested)
    {
        Partitions++;
        if (requested) Requested = true;
        if (inProgress || status?.State == MaterializationState.Running)
        {
            if (!AnyInProgress) InProgress = key;
            AnyInProgress = true;
        }
        else if (status?.State == MaterializationState.Failed) Failed ??= status;
        if (status?.LastMaterializationEventId is not { } id)
        {
            if (!AnyMissing) Missing = key;
            AnyMissing = true;
            return;
        }
        if (NewestEventId is null || id > NewestEventId)
        {
            NewestEventId = id;
            NewestKey = key;
            NewestAt = status.LastMaterializedAt;
        }
        if (status.LastMaterializedAt is { } at && (OldestAt is null || at < OldestAt))
        {
            OldestAt = at;
            OldestKey = key;
        }
    }
}
