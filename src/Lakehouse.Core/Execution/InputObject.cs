using Lakehouse.Core.Assets;
using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Execution;

/// <summary>One object of an upstream partition: its key, its name inside the partition's folder, where other engines find it, and a way to read it.</summary>
public sealed record InputObject(AssetKey Asset, PartitionKey? Partition, string Key, string Name, string Location, long Size,
    Func<CancellationToken, Task<Stream>> OpenAsync);
