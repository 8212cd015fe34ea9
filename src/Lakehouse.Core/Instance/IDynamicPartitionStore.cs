using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Instance;

/// <summary>Keys of dynamic partitions definitions, added at run time.</summary>
public interface IDynamicPartitionStore : IPartitionKeySource
{
    /// <summary>Adds keys (existing ones are ignored).</summary>
    Task AddDynamicPartitionKeysAsync(string definitionName, IEnumerable<string> keys, CancellationToken cancellationToken);
}
