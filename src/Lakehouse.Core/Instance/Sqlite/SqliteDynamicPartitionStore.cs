namespace Lakehouse.Core.Instance.Sqlite;

/// <summary>Dynamic partition keys in SQLite, listed in the order they were first added.</summary>
internal sealed class SqliteDynamicPartitionStore(SqliteDatabase database) : IDynamicPartitionStore
{
    public Task AddDynamicPartitionKeysAsync(string definitionName, IEnumerable<string> keys, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var insert = connection.Command(
                "INSERT INTO dynamic_partitions (definition, partition_key) VALUES ($definition, $key) ON CONFLICT DO NOTHING;",
                ("$definition", definitionName), ("$key", ""));
            foreach (var key in keys)
            {
                if (string.IsNullOrWhiteSpace(key))
                    throw new ArgumentException($"Dynamic partitions '{definitionName}': a partition key cannot be empty.", nameof(keys));
                insert.Parameters["$key"].Value = key;
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
            return true;
        }, cancellationToken);

    public async Task<IReadOnlyList<string>> GetDynamicPartitionKeysAsync(string definitionName, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT partition_key FROM dynamic_partitions WHERE definition = $definition ORDER BY id;", ("$definition", definitionName));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<string>();
        while (await reader.ReadAsync(cancellationToken)) keys.Add(reader.GetString(0));
        return keys;
    }
}
