namespace Lakehouse.Core.Instance.Sql;

/// <summary>Dynamic partition keys, listed in the order they were first added.</summary>
internal sealed class SqlDynamicPartitionStore(SqlDialect dialect) : IDynamicPartitionStore
{
    public async Task AddDynamicPartitionKeysAsync(string definitionName, IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        var list = keys.ToList();
        if (list.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException($"Dynamic partitions '{definitionName}': a partition key cannot be empty.", nameof(keys));
        await using var session = await SqlSession.BeginWriteAsync(dialect, cancellationToken);
        // One insert per key, in the caller's order (ids keep it), all in one round trip.
        session.Queue(list.Select(key => new SqlStatement("INSERT INTO dynamic_partitions (definition, partition_key) VALUES (@definition, @key) ON CONFLICT DO NOTHING;")
            .Text("definition", definitionName).Text("key", key)));
        await session.CommitAsync();
    }

    public async Task<IReadOnlyList<string>> GetDynamicPartitionKeysAsync(string definitionName, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.OpenAsync(dialect, cancellationToken);
        return await session.ListAsync(SqlStatement.Read("SELECT partition_key FROM dynamic_partitions WHERE definition = @definition ORDER BY id;")
            .Text("definition", definitionName), r => r.GetString(0));
    }
}
