using Lakehouse.Core.Assets;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Execution;

/// <summary>
/// What one step reads: for each upstream asset, the partitions the plan fixed, opened through that upstream's own storage
/// layout, so a downstream asset never rebuilds another asset's object keys by hand.
/// </summary>
public sealed class AssetInputs
{
    private readonly IObjectStoreProvider? _objects;
    private readonly Dictionary<AssetKey, (AssetSpec Spec, IReadOnlyList<PartitionKey> Partitions)> _upstream = [];

    /// <param name="objects">The object stores upstream objects are read from.</param>
    /// <param name="reads">Each upstream asset's spec, with the partitions of it the step reads.</param>
    public AssetInputs(IObjectStoreProvider? objects, IEnumerable<(AssetSpec Upstream, IReadOnlyList<PartitionKey> Partitions)> reads)
    {
        _objects = objects;
        foreach (var (spec, partitions) in reads) _upstream[spec.Key] = (spec, partitions);
    }

    public static AssetInputs None { get; } = new(null, []);

    /// <summary>For each upstream asset, the partitions this step reads.</summary>
    public IReadOnlyDictionary<AssetKey, IReadOnlyList<PartitionKey>> Partitions =>
        _upstream.ToDictionary(u => u.Key, u => u.Value.Partitions);

    /// <summary>The partitions of one upstream asset this step reads.</summary>
    public IReadOnlyList<PartitionKey> PartitionsOf(AssetKey upstream) => Upstream(upstream).Partitions;

    /// <summary>The folder (bucket and prefix) where <paramref name="partition"/> of an upstream that keeps objects lives, for messages.</summary>
    public string LocationOf(AssetKey upstream, PartitionKey? partition)
    {
        var storage = ObjectStorage(upstream);
        return $"{Objects.For(storage.Layer).Bucket}/{storage.FolderOf(partition)}";
    }

    /// <summary>
    /// Every object of the upstream partitions this step reads, partition by partition in plan order, keys in order inside
    /// each; the upstream must keep its partitions as objects (<see cref="ObjectFolderStorage"/>).
    /// </summary>
    public async Task<IReadOnlyList<InputObject>> ObjectsAsync(AssetKey upstream, CancellationToken cancellationToken)
    {
        var (spec, partitions) = Upstream(upstream);
        var storage = ObjectStorage(upstream);
        var store = Objects.For(storage.Layer);
        var found = new List<InputObject>();
        foreach (var partition in spec.Partitions is null ? [null] : partitions.Cast<PartitionKey?>())
        {
            var folder = storage.FolderOf(partition);
            await foreach (var info in store.ListAsync(folder, cancellationToken))
            {
                var key = info.Key;
                found.Add(new InputObject(upstream, partition, key, key[folder.Length..], store.LocationOf(key), info.Size,
                    ct => store.OpenReadAsync(key, ct)));
            }
        }
        return found;
    }

    private IObjectStoreProvider Objects => _objects ?? throw new InvalidOperationException("This step was given no object stores to read its inputs from.");

    private (AssetSpec Spec, IReadOnlyList<PartitionKey> Partitions) Upstream(AssetKey upstream) =>
        _upstream.TryGetValue(upstream, out var found)
            ? found
            : throw new KeyNotFoundException($"{upstream} is not an upstream asset of this step (it reads {(_upstream.Count == 0 ? "nothing" : string.Join(", ", _upstream.Keys))}).");

    private ObjectFolderStorage ObjectStorage(AssetKey upstream) =>
        Upstream(upstream).Spec.Storage as ObjectFolderStorage
        ?? throw new InvalidOperationException($"{upstream} does not keep its partitions as objects (its spec has no ObjectFolderStorage).");
}
