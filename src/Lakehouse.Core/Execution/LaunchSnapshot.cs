using Lakehouse.Core.Assets;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Execution;

/// <summary>
/// What planning and checking a launch read from the instance (each dynamic definition's keys, each upstream asset's
/// materialized partitions), read once and shared by many launches: a backfill tick launching hundreds of runs of one
/// selection reads every asset's keys once, not once per run. One caller at a time (a tick launches in sequence).
/// </summary>
/// <remarks>
/// A read kept from earlier in the tick can miss a key or materialization added since (they are seldom removed, and a run
/// launched a moment earlier would have read the same), so a launch that finds one missing reads it again before refusing.
/// </remarks>
public sealed class LaunchSnapshot(LakehouseInstance instance) : IPartitionKeySource
{
    private readonly Dictionary<string, IReadOnlyList<string>> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<AssetKey, HashSet<string>> _materialized = [];

    /// <summary>How many reads reached the instance (the tests' and the bench's measure of sharing).</summary>
    public int InstanceReads { get; private set; }

    public async Task<IReadOnlyList<string>> GetDynamicPartitionKeysAsync(string definitionName, CancellationToken cancellationToken)
    {
        if (_keys.TryGetValue(definitionName, out var keys)) return keys;
        InstanceReads++;
        return _keys[definitionName] = await instance.Partitions.GetDynamicPartitionKeysAsync(definitionName, cancellationToken);
    }

    /// <summary>The partition key texts of <paramref name="asset"/> ("" when unpartitioned) materialized at least once; <paramref name="fresh"/> reads them again.</summary>
    public async Task<IReadOnlySet<string>> MaterializedAsync(AssetKey asset, bool fresh, CancellationToken cancellationToken)
    {
        if (!fresh && _materialized.TryGetValue(asset, out var keys)) return keys;
        InstanceReads++;
        var statuses = await instance.Events.GetPartitionStatusesAsync(asset, cancellationToken);
        return _materialized[asset] = statuses.Where(s => s.LastMaterializedAt is not null).Select(s => s.Partition?.Value ?? "").ToHashSet(StringComparer.Ordinal);
    }
}
