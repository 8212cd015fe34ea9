namespace Lakehouse.Core.Partitions;

/// <summary>Where dynamic partition keys live (the instance store): keys added at run time, e.g. when a file lands.</summary>
public interface IPartitionKeySource
{
    Task<IReadOnlyList<string>> GetDynamicPartitionKeysAsync(string definitionName, CancellationToken cancellationToken);
}
