using Lakehouse.Core.Assets;
using Lakehouse.Core.Tables;

namespace TmLakehouse.Assets.Models;

/// <summary>How a model is partitioned: one partition per course (the default) or none.</summary>
public enum SqlModelPartitioning { Course, None }

/// <summary>A <c>table</c> model is an asset with an Iceberg table; an <c>ephemeral</c> one is inlined as a view wherever it is referenced (as in dbt).</summary>
public enum SqlModelMaterialization { Table, Ephemeral }

/// <summary>A documented column of a model; a column with an error-severity not_null test is required in the table.</summary>
public sealed record SqlModelColumn(string Name, string Description);

/// <summary>A <c>ref('ns.name')</c> in a model's SQL and the line it is on.</summary>
public sealed record SqlRef(TableIdentifier Table, int Line);

/// <summary>
/// One <c>models/&lt;layer&gt;/&lt;name&gt;.sql</c> file with its header: the asset <c>&lt;layer&gt;/&lt;name&gt;</c> whose table is
/// <c>&lt;layer&gt;.&lt;name&gt;</c>. <see cref="Sql"/> is the query with every <c>ref()</c> replaced by the quoted table name.
/// </summary>
public sealed record SqlModel
{
    public required TableIdentifier Table { get; init; }
    /// <summary>The file, as shown in messages (relative to the models folder's parent, e.g. <c>models/gold/fact_rounds.sql</c>).</summary>
    public required string File { get; init; }
    public required string Sql { get; init; }
    public required IReadOnlyList<SqlRef> Refs { get; init; }
    public string Description { get; init; } = "";
    public SqlModelPartitioning Partitioning { get; init; } = SqlModelPartitioning.Course;
    public SqlModelMaterialization Materialization { get; init; } = SqlModelMaterialization.Table;
    /// <summary>Upstream assets named in the header besides those the SQL refs.</summary>
    public IReadOnlyList<AssetKey> DependsOn { get; init; } = [];
    public IReadOnlyList<SqlModelColumn> Columns { get; init; } = [];
    public IReadOnlyList<SqlModelTest> Tests { get; init; } = [];
    /// <summary>Figures the model reports in its steps' materialization metadata (the header's <c>metadata:</c>).</summary>
    public IReadOnlyList<SqlModelMetadata> Metadata { get; init; } = [];
    public SqlModelAutomation Automation { get; init; } = SqlModelAutomation.None;
    /// <summary>The first hex digits of the SHA-256 of the model's SQL and header: its code version.</summary>
    public required string Hash { get; init; }

    public AssetKey Key => new($"{Table.Namespace}/{Table.Name}");

    /// <summary>Every upstream asset: the refs' and the header's, each once.</summary>
    public IReadOnlyList<AssetKey> Upstreams =>
        Refs.Select(r => new AssetKey($"{r.Table.Namespace}/{r.Table.Name}")).Concat(DependsOn).Distinct().ToList();
}
