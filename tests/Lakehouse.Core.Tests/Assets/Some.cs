using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Tests.Assets;

/// <summary>Builders for asset definitions in graph, selection and planner tests.</summary>
internal static class Some
{
    public static AssetDefinition Asset(string key, params string[] deps) =>
        Asset(key, null, deps.Select(d => new AssetDependency(new AssetKey(d))).ToArray());

    public static AssetDefinition Asset(string key, PartitionsDefinition? partitions, params AssetDependency[] deps) =>
        AssetDefinition.Create(
            new AssetSpec(new AssetKey(key)) { Deps = deps, Partitions = partitions },
            (_, _) => Task.FromResult(MaterializeResult.Empty));

    public static AssetDefinition InGroup(this AssetDefinition definition, string group) =>
        definition with { Spec = definition.Spec with { Group = group } };

    public static AssetDependency Dep(string key, PartitionMapping? mapping = null) => new(new AssetKey(key), mapping);

    public static AssetKey Key(string key) => new(key);

    public static string[] Keys(IEnumerable<AssetKey> keys) => keys.Select(k => k.Value).ToArray();
}
