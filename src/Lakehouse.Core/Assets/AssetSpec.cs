using Lakehouse.Core.Partitions;
using Lakehouse.Core.Quality;

namespace Lakehouse.Core.Assets;

/// <summary>Everything known about an asset without its code: key, dependencies, group, partitions, checks.</summary>
public sealed record AssetSpec(AssetKey Key)
{
    public IReadOnlyList<AssetDependency> Deps { get; init; } = [];
    /// <summary>The group; defaults to the key's first part.</summary>
    public string? Group { get; init; }
    public string Description { get; init; } = "";
    public PartitionsDefinition? Partitions { get; init; }
    public IReadOnlyList<AssetCheckSpec> Checks { get; init; } = [];
    public string CodeVersion { get; init; } = "1";
    public RetryPolicy Retry { get; init; } = RetryPolicy.None;
    /// <summary>Where the asset's partitions live, so downstream steps read them through <see cref="Execution.AssetInputs"/>; null when not said.</summary>
    public AssetStorage? Storage { get; init; }
    /// <summary>When the automation daemon materializes the asset by itself; null: only when asked.</summary>
    public AutomationCondition? Automation { get; init; }
    /// <summary>The concurrency pool its steps run in (e.g. "postgis"); TM_POOL_&lt;NAME&gt;=N limits how many run at once across workers.</summary>
    public string? Pool { get; init; }

    public string EffectiveGroup => Group ?? Key.Prefix;
}
