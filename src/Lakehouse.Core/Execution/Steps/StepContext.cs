using Lakehouse.Core.Assets;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Execution.Steps;

/// <summary>
/// A claimed step attempt as it passes through the pipeline: what it is, what it reads (as stored with the plan), the logger
/// the log scope gives it, and the events the decorators collect for the step's end, which writes them in one transaction.
/// </summary>
public sealed class StepContext
{
    public required string RunId { get; init; }
    public required StepKey Step { get; init; }
    /// <summary>1 for the first try.</summary>
    public required int Attempt { get; init; }
    public required AssetDefinition Definition { get; init; }
    /// <summary>For each upstream asset, the partitions this step reads, fixed when the run was planned.</summary>
    public required IReadOnlyDictionary<AssetKey, IReadOnlyList<PartitionKey>> UpstreamPartitions { get; init; }
    /// <summary>When the attempt began (<see cref="TimeProvider.GetTimestamp"/> of the pipeline's clock).</summary>
    public required long StartedTimestamp { get; init; }
    /// <summary>The process log until the log scope gives the step its own.</summary>
    public required Serilog.ILogger Log { get; set; }

    /// <summary>Events to write with the step's end: materializations, check results, log lines.</summary>
    public List<EventRecord> Events { get; } = [];

    /// <summary>Every asset the step materializes: the step's own, then the others of a multi-asset definition.</summary>
    public IReadOnlyList<AssetKey> Assets => Definition.Keys;

    /// <summary>The assets besides the step's own, whose status starts and fails with it.</summary>
    public IReadOnlyList<AssetKey> OtherAssets => Definition.Keys.Skip(1).ToList();
}
