using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Partitions;
using Lakehouse.Core.Quality;

namespace Lakehouse.Core.Instance;

/// <summary>One entry of the event log. Id is assigned by the store (increasing).</summary>
public sealed record EventRecord(EventType Type, string RunId, DateTimeOffset Timestamp)
{
    public long Id { get; init; }
    public StepKey? Step { get; init; }

    /// <summary>The asset the event is about: its step's asset unless set (a multi-asset step materializes several).</summary>
    public AssetKey? Asset { get => _asset ?? Step?.Asset; init => _asset = value; }

    /// <summary>
    /// Further assets whose latest status this event moves with its own asset's: the other assets of a multi-asset step,
    /// which start and fail with it. Not stored with the event (its row names one asset).
    /// </summary>
    public IReadOnlyList<AssetKey> OtherAssets { get; init; } = [];

    private readonly AssetKey? _asset;

    public PartitionKey? Partition => Step?.Partition;
    /// <summary>Serilog level name for log events (Information, Warning, Error ...).</summary>
    public string Level { get; init; } = "Information";
    public string Message { get; init; } = "";
    public IReadOnlyDictionary<string, MetadataValue> Metadata { get; init; } = new Dictionary<string, MetadataValue>();
    /// <summary>Set on CheckResult events.</summary>
    public AssetCheckResult? Check { get; init; }
}
