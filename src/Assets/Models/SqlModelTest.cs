using System.Globalization;
using Lakehouse.Core.Quality;
using Lakehouse.Core.Sql;
using Lakehouse.Core.Tables;

namespace TmLakehouse.Assets.Models;

/// <summary>
/// One declared test of a model. Every kind but source freshness is a query over the model's result whose rows are the failures
/// (as in dbt); <see cref="FailingRowsSql"/> builds it. Where it was declared (file, line) goes into every message about it.
/// </summary>
public sealed record SqlModelTest(SqlModelTestKind Kind, string Name, AssetCheckSeverity Severity, string File, int Line)
{
    public IReadOnlyList<string> Columns { get; init; } = [];
    public IReadOnlyList<string> Values { get; init; } = [];
    public double? Min { get; init; }
    public double? Max { get; init; }
    /// <summary>relationships: the table every value must be found in, and its column.</summary>
    public TableIdentifier? To { get; init; }
    public string? Field { get; init; }
    /// <summary>expression: a condition every row must meet; custom: the whole query, refs already resolved.</summary>
    public string? Sql { get; init; }
    /// <summary>source_freshness: the Silver table and how many ingest days it may lag behind the newest landed one.</summary>
    public int MaxLagDays { get; init; }
    public string Description { get; init; } = "";
    /// <summary>custom: the tables the query refs (the model's own among them).</summary>
    public IReadOnlyList<TableIdentifier> Reads { get; init; } = [];

    public AssetCheckSpec ToCheckSpec() => new(Name, DescriptionOrDefault, Severity, Blocking: Severity == AssetCheckSeverity.Error);

    public string DescriptionOrDefault => Description.Length > 0 ? Description : Kind switch
    {
        SqlModelTestKind.NotNull => $"{Columns[0]} is never null.",
        SqlModelTestKind.Unique => $"({string.Join(", ", Columns)}) is unique.",
        SqlModelTestKind.AcceptedValues => $"{Columns[0]} is one of {string.Join(", ", Values)}.",
        SqlModelTestKind.AcceptedRange => $"{Columns[0]} is within [{Min?.ToString(CultureInfo.InvariantCulture) ?? "-inf"}, {Max?.ToString(CultureInfo.InvariantCulture) ?? "inf"}].",
        SqlModelTestKind.Relationships => $"every {Columns[0]} is a {Field} of {To}.",
        SqlModelTestKind.Expression => $"every row meets: {Sql}.",
        SqlModelTestKind.SourceFreshness => $"{To} holds the newest landed ingest date of the partition (lag at most {MaxLagDays} day(s)).",
        _ => $"custom test {System.IO.Path.GetFileName(File)} returns no row.",
    };

    /// <summary>The query whose rows are the failures, over <paramref name="model"/> (the model's result as a DuckDB relation).</summary>
    public string FailingRowsSql(string model) => Kind switch
    {
        SqlModelTestKind.NotNull => $"SELECT * FROM {model} WHERE {Q(Columns[0])} IS NULL",
        SqlModelTestKind.Unique =>
            $"SELECT {ColumnList}, count(*) AS n_rows FROM {model} GROUP BY {ColumnList} HAVING count(*) > 1",
        SqlModelTestKind.AcceptedValues =>
            $"SELECT * FROM {model} WHERE {Q(Columns[0])} IS NOT NULL AND CAST({Q(Columns[0])} AS VARCHAR) NOT IN ({string.Join(", ", Values.Select(Literal))})",
        SqlModelTestKind.AcceptedRange =>
            $"SELECT * FROM {model} WHERE {string.Join(" OR ", RangeConditions())}",
        SqlModelTestKind.Relationships =>
            $"SELECT * FROM {model} AS child WHERE child.{Q(Columns[0])} IS NOT NULL AND NOT EXISTS " +
            $"(SELECT 1 FROM {SnapshotView.Quote(To!.Namespace)}.{SnapshotView.Quote(To.Name)} AS parent WHERE parent.{Q(Field!)} = child.{Q(Columns[0])})",
        SqlModelTestKind.Expression => $"SELECT * FROM {model} WHERE ({Sql}) IS NOT TRUE",
        SqlModelTestKind.Custom => Sql!,
        _ => throw new InvalidOperationException($"{Kind} is not a query test."),
    };

    private string ColumnList => string.Join(", ", Columns.Select(Q));

    private IEnumerable<string> RangeConditions()
    {
        if (Min is { } min) yield return $"{Q(Columns[0])} < {min.ToString("R", CultureInfo.InvariantCulture)}";
        if (Max is { } max) yield return $"{Q(Columns[0])} > {max.ToString("R", CultureInfo.InvariantCulture)}";
    }

    private static string Q(string column) => SnapshotView.Quote(column);

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
