using System.Collections.Concurrent;
using Lakehouse.Core.Config;

namespace Lakehouse.Core.Objects;

/// <summary>One folder per layer bucket under <c>TM_HOME/lake</c>.</summary>
public sealed class LocalObjectStoreProvider(LakehouseOptions options) : IObjectStoreProvider
{
    private readonly ConcurrentDictionary<string, IObjectStore> _stores = new();

    public LocalStaging Staging { get; } = new(options.StagingRoot);

    public IObjectStore For(string layer) =>
        _stores.GetOrAdd(layer, l => new LocalObjectStore(Path.Combine(options.Home, "lake"), options.BucketFor(l)));
}
