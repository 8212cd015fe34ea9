using Lakehouse.Core.Config;

namespace Lakehouse.Core.Objects;

/// <summary>Picks the object store backend the options name; configuration alone switches local and S3.</summary>
public static class ObjectStores
{
    /// <summary>A provider for <see cref="LakehouseOptions.ObjectStore"/>; creating one opens no connection.</summary>
    public static IObjectStoreProvider Create(LakehouseOptions options) => options.ObjectStore switch
    {
        ObjectStoreKind.Local => new LocalObjectStoreProvider(options),
        ObjectStoreKind.S3 => new S3ObjectStoreProvider(options),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.ObjectStore, "Unknown object store kind."),
    };
}
