using Lakehouse.Core.Instance;

namespace TmLakehouse.Assets.Tests.Fakes;

/// <summary>Dynamic partition keys kept in memory, in the order they were first added.</summary>
internal sealed class InMemoryDynamicPartitionStore : IDynamicPartitionStore
{
    private readonly Dictionary<string, List<string>> _keys = [];

    public Task AddDynamicPartitionKeysAsync(string definitionName, IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        lock (_keys)
        {
            if (!_keys.TryGetValue(definitionName, out var list)) _keys[definitionName] = list = [];
            foreach (var key in keys)
                if (!list.Contains(key)) list.Add(key);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> GetDynamicPartitionKeysAsync(string definitionName, CancellationToken cancellationToken)
    {
        lock (_keys)
            return Task.FromResult<IReadOnlyList<string>>(_keys.TryGetValue(definitionName, out var list) ? list.ToList() : []);
    }
}
