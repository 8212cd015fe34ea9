using System.Globalization;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Partitions;
using Lakehouse.Core.Tables;

namespace TmLakehouse.Orchestrator.Cli;

/// <summary>Finds the table behind an asset key or table name, and turns a partition key into a row filter on its columns.</summary>
internal static class TableResolver
{
    /// <summary>An asset key (silver/fact_telemetry_event) or a table name (silver.fact_telemetry_event).</summary>
    public static async Task<ILakeTable> LoadAsync(ITableCatalog catalog, string text, CancellationToken cancellationToken)
    {
        var id = TableIdentifier.Parse(text);
        return await catalog.LoadAsync(id, cancellationToken)
            ?? throw new CliUserException($"No table {id}: it has not been materialized yet (or '{text}' is not a table asset). Tables: {string.Join(", ", await catalog.ListTablesAsync(null, cancellationToken))}.");
    }

    /// <summary>Each dimension of the key that is also a column becomes an equality term, typed like the column.</summary>
    public static RowFilter FilterFor(ILakeTable table, string partitionText)
    {
        var key = new PartitionKey(partitionText.Trim());
        var dims = key.Dimensions.Count > 0 ? key.Dimensions : new Dictionary<string, string> { ["course_id"] = key.Value };
        var terms = new Dictionary<string, object>();
        foreach (var (dimension, value) in dims)
        {
            var field = table.Schema.Fields.FirstOrDefault(f => f.Name == dimension)
                ?? throw new CliUserException($"Table {table.Id} has no column '{dimension}' to filter on.");
            terms[dimension] = field.Type switch
            {
                TableType.Date => DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                TableType.Int => int.Parse(value, CultureInfo.InvariantCulture),
                TableType.Long => long.Parse(value, CultureInfo.InvariantCulture),
                _ => value,
            };
        }
        return new RowFilter(terms);
    }

    public static AssetKey AssetKeyOf(TableIdentifier id) => new($"{id.Namespace}/{id.Name}");
}
