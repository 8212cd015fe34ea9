using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Tests.Partitions;

/// <summary>Keeps dynamic partition keys in memory, as the instance store would.</summary>
internal sealed class FakePartitionKeySource : IPartitionKeySource
{
    private readonly Dictionary<string, List<string>> _keys = new(StringComparer.Ordinal);

    public FakePartitionKeySource Add(string definitionName, params string[] keys)
    {
        if (!_keys.TryGetValue(definitionName, out var list)) _keys[definitionName] = list = [];
        list.AddRange(keys);
        return this;
    }

    public Task<IReadOnlyList<string>> GetDynamicPartitionKeysAsync(string definitionName, CancellationToken cancellationToken)
    {
        return Task.FromResult<IReadOnlyList<string>>(_keys.TryGetValue(definitionName, out var list) ? list.ToList() : []);
    }
}
