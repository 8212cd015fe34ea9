using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Partitions;

namespace TmLakehouse.Orchestrator.Automation;

/// <summary>
/// Everything one evaluation reads, each in one query: the latest status of every (asset, partition), the partitions each
/// asset has, the steps already asked for (open runs), which automated assets are switched on, and the latest cron tick of each.
/// </summary>
public sealed record AutomationInputs(
    IReadOnlyList<AssetPartitionStatus> Statuses,
    IReadOnlyDictionary<AssetKey, IReadOnlyList<PartitionKey>> Partitions,
    IReadOnlyList<StepKey> OpenSteps,
    IReadOnlySet<AssetKey> Automated,
    IReadOnlyDictionary<AssetKey, DateTimeOffset?> CronTicks);
