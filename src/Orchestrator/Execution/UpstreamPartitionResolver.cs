using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Partitions;

namespace TmLakehouse.Orchestrator.Execution;

/// <summary>Works out, for one step, which partitions of each upstream asset it reads (through the dependency's partition mapping).</summary>
public sealed class UpstreamPartitionResolver(AssetGraph graph, IPartitionKeySource source, TimeProvider clock)
{
    public async Task<IReadOnlyDictionary<AssetKey, IReadOnlyList<PartitionKey>>> ResolveAsync(StepKey step, CancellationToken cancellationToken)
    {
        var result = new Dictionary<AssetKey, IReadOnlyList<PartitionKey>>();
        foreach (var dep in graph.Get(step.Asset).Spec.Deps)
        {
            var upstream = graph.Get(dep.Key).Spec.Partitions;
            if (upstream is null)
            {
                result[dep.Key] = [];
                continue;
            }
            var existing = await upstream.GetKeysAsync(source, clock, cancellationToken);
            result[dep.Key] = (dep.Mapping ?? new IdentityPartitionMapping()).UpstreamKeys(step.Partition, existing);
        }
        return result;
    }
}
