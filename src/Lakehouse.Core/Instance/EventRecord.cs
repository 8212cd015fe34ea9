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
    public AssetKey? Asset => Step?.Asset;
    public PartitionKey? Partition => Step?.Partition;
    /// <summary>Serilog level name for log events (Information, Warning, Error ...).</summary>
    public string Level { get; init; } = "Information";
    public string Message { get; init; } = "";
    public IReadOnlyDictionary<string, MetadataValue> Metadata { get; init; } = new Dictionary<string, MetadataValue>();
    /// <summary>Set on CheckResult events.</summary>
    public AssetCheckResult? Check { get; init; }
}
