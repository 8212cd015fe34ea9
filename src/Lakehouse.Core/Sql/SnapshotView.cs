using System.Globalization;
using System.Text;
using Lakehouse.Core.Tables;

namespace Lakehouse.Core.Sql;

/// <summary>
/// One table as a DuckDB view: <c>"silver"."fact_telemetry_event"</c> over exactly the live data files of one snapshot, with
/// columns mapped by Iceberg field id (a file written before a column was added reads it as NULL).
/// </summary>
public sealed record SnapshotView(TableIdentifier Table, long? SnapshotId, TableSchema Schema, IReadOnlyList<string> LocalFiles, long Rows)
{
    /// <summary>When set, the view keeps only the rows whose column equals the value.</summary>
    public (string Column, string Value)? Only { get; init; }

    /// <summary>The size of the data files the view reads (the snapshot's, or with <see cref="Only"/> those of the one partition value).</summary>
    public long Bytes { get; init; }

    /// <summary>The statements that create the view (schema first); files are local paths, already staged when remote.</summary>
    public string CreateSql()
    {
        var sql = new StringBuilder();
        sql.Append(CultureInfo.InvariantCulture, $"CREATE SCHEMA IF NOT EXISTS {Quote(Table.Namespace)}; ");
        sql.Append(CultureInfo.InvariantCulture, $"CREATE OR REPLACE VIEW {Quote(Table.Namespace)}.{Quote(Table.Name)} AS ");
        if (LocalFiles.Count == 0)
        {
            // An empty snapshot (or none yet) is still a table with its columns.
            sql.Append("SELECT ").AppendJoin(", ", Schema.Fields.Select(f => $"CAST(NULL AS {DuckDbType(f.Type)}) AS {Quote(f.Name)}")).Append(" WHERE false");
            return sql.ToString();
        }
        sql.Append("SELECT * FROM read_parquet([").AppendJoin(", ", LocalFiles.Select(Literal)).Append("], schema = MAP {");
        sql.AppendJoin(", ", Schema.Fields.Select(f => string.Create(CultureInfo.InvariantCulture,
            $"{f.Id}: {{name: {Literal(f.Name)}, type: {Literal(DuckDbType(f.Type))}, default_value: NULL}}")));
        sql.Append("})");
        if (Only is { } only) sql.Append(CultureInfo.InvariantCulture, $" WHERE {Quote(only.Column)} = {Literal(only.Value)}");
        return sql.ToString();
    }

    public static string DuckDbType(TableType type) => type switch
    {
        TableType.Boolean => "BOOLEAN",
        TableType.Int => "INTEGER",
        TableType.Long => "BIGINT",
        TableType.Double => "DOUBLE",
        TableType.String => "VARCHAR",
        TableType.Date => "DATE",
        TableType.TimestampTz => "TIMESTAMPTZ",
        TableType.Binary => "BLOB",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown column type."),
    };

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
