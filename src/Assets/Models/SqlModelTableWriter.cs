using Lakehouse.Core.Sql;
using Lakehouse.Core.Tables;
using ParquetSharp;
using ParquetSharp.Arrow;

namespace TmLakehouse.Assets.Models;

/// <summary>
/// Writes a model's result (a table in the step's DuckDB) to its Iceberg table through our writer, replacing the partition in
/// one commit. DuckDB writes the rows to a local Parquet file, which is read back as Arrow batches one row group at a time.
/// </summary>
internal static class SqlModelTableWriter
{
    /// <summary>The table's columns from the result's: names and types in the model's order; required where an error-severity not_null test holds.</summary>
    public static async Task<TableDefinition> DefinitionOfAsync(LakeSqlEngine engine, SqlModel model, string relation, CancellationToken cancellationToken)
    {
        var fields = new List<(string Name, TableType Type, bool Required)>();
        await using (var reader = await engine.ExecuteReaderAsync($"DESCRIBE {relation}", cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
            {
                var name = reader.GetString(0);
                var duckType = reader.GetString(1);
                var type = TypeOf(duckType) ?? throw new SqlModelException(
                    $"{model.File}: column '{name}' is {duckType}, which a table cannot hold: CAST it to BIGINT, INTEGER, DOUBLE, VARCHAR, BOOLEAN, DATE or TIMESTAMPTZ.");
                var required = model.Tests.Any(t => t is { Kind: SqlModelTestKind.NotNull, Severity: Lakehouse.Core.Quality.AssetCheckSeverity.Error } && t.Columns[0] == name)
                               || (model.Partitioning == SqlModelPartitioning.Course && name == SqlModelAsset.CourseColumn);
                fields.Add((name, type, required));
            }
        if (model.Partitioning == SqlModelPartitioning.Course && fields.All(f => f.Name != SqlModelAsset.CourseColumn))
            throw new SqlModelException($"{model.File}: a model partitioned per course must return a {SqlModelAsset.CourseColumn} column.");
        foreach (var column in model.Columns.Where(c => fields.All(f => f.Name != c.Name)))
            throw new SqlModelException($"{model.File}: the header describes column '{column.Name}', which the SQL does not return (it returns {string.Join(", ", fields.Select(f => f.Name))}).");
        IReadOnlyList<TablePartitionField> spec = model.Partitioning == SqlModelPartitioning.Course
            ? [new(SqlModelAsset.CourseColumn, PartitionTransform.Identity, SqlModelAsset.CourseColumn)]
            : [];
        return new TableDefinition(model.Table, TableSchemas.Sequential([.. fields]), spec);
    }

    /// <summary>Creates or loads the table; an existing column whose type the model changed is an error (a new column is added).</summary>
    public static async Task<ILakeTable> OpenAsync(ITableCatalog tables, SqlModel model, TableDefinition definition, CancellationToken cancellationToken)
    {
        if (await tables.LoadAsync(definition.Id, cancellationToken) is { } existing)
            foreach (var field in definition.Schema.Fields)
                if (existing.Schema.Fields.FirstOrDefault(f => f.Name == field.Name) is { } old && old.Type != field.Type)
                    throw new SqlModelException(
                        $"{model.File}: column '{field.Name}' is now {field.Type} but table {definition.Id} holds it as {old.Type}: CAST it back, or rename the column.");
        return await tables.CreateOrLoadAsync(definition, cancellationToken);
    }

    /// <summary>
    /// Writes the result and disposes <paramref name="engine"/> as soon as the rows are out of it, before our writer encodes
    /// them: DuckDB hands its memory back when its database closes, so the step's peak is the larger of the query's and the
    /// write's rather than their sum (fact_rounds on the 1 GB Silver: 457 MB before, the write alone adding ~90 MB).
    /// </summary>
    public static async Task<TableCommit> WriteAsync(LakeSqlEngine engine, string relation, ILakeTable table, RowFilter partition, string tempFolder,
        IReadOnlyDictionary<string, string> summary, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(tempFolder);
        var file = Path.Combine(tempFolder, $"model-{Guid.NewGuid():N}.parquet");
        try
        {
            await using (var copy = await engine.ExecuteReaderAsync(
                             $"COPY {relation} TO '{file.Replace("'", "''", StringComparison.Ordinal)}' (FORMAT parquet, ROW_GROUP_SIZE 65536)", cancellationToken))
            {
                while (await copy.ReadAsync(cancellationToken)) { }
            }
            await engine.DisposeAsync();
            await using var writer = table.NewReplace(partition);
            // The system allocator, not Arrow's default jemalloc: jemalloc kept the read batches' ~85 MB (fact_rounds, 1 GB Silver)
            // after the write, under the downstream models' DuckDB queries, until the process ended.
            using var properties = ReaderProperties.WithMemoryPool(ParquetSharp.MemoryPool.SystemMemoryPool());
            using (var reader = new FileReader(file, properties))
            {
                using var batches = reader.GetRecordBatchReader();
                // Not disposed here: the table writer may still be encoding a batch after WriteAsync returns.
                while (await batches.ReadNextRecordBatchAsync(cancellationToken) is { } batch)
                    await writer.WriteAsync(batch, cancellationToken);
            }
            return await writer.CommitAsync(summary, cancellationToken);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static TableType? TypeOf(string duckType) => duckType switch
    {
        "BOOLEAN" => TableType.Boolean,
        "INTEGER" or "SMALLINT" or "TINYINT" => TableType.Int,
        "BIGINT" => TableType.Long,
        "DOUBLE" or "FLOAT" => TableType.Double,
        "VARCHAR" => TableType.String,
        "DATE" => TableType.Date,
        "TIMESTAMP WITH TIME ZONE" => TableType.TimestampTz,
        "BLOB" => TableType.Binary,
        _ => null,
    };
}
