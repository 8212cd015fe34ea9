using Npgsql;
using static Lakehouse.Core.Instance.Postgres.PostgresCommands;

namespace Lakehouse.Core.Instance.Postgres;

/// <summary>Dynamic partition keys in PostgreSQL, listed in the order they were first added.</summary>
internal sealed class PostgresDynamicPartitionStore(NpgsqlDataSource dataSource) : IDynamicPartitionStore
{
    public async Task AddDynamicPartitionKeysAsync(string definitionName, IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        var list = keys.ToArray();
        if (list.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException($"Dynamic partitions '{definitionName}': a partition key cannot be empty.", nameof(keys));
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // WITH ORDINALITY keeps the caller's order, so listing returns keys in the order they were given.
        await connection.ExecuteAsync(
            "INSERT INTO dynamic_partitions (definition, partition_key) " +
            "SELECT @definition, k FROM unnest(@keys) WITH ORDINALITY AS t(k, n) ORDER BY n ON CONFLICT DO NOTHING;",
            cancellationToken, Text("definition", definitionName), TextArray("keys", list));
    }

    public async Task<IReadOnlyList<string>> GetDynamicPartitionKeysAsync(string definitionName, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT partition_key FROM dynamic_partitions WHERE definition = @definition ORDER BY id;", Text("definition", definitionName));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<string>();
        while (await reader.ReadAsync(cancellationToken)) keys.Add(reader.GetString(0));
        return keys;
    }
}
