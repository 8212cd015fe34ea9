using System.Globalization;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Quality;
using Lakehouse.Core.Sql;
using Lakehouse.Core.Tables;
using TmLakehouse.Assets.Bronze;

namespace TmLakehouse.Assets.Models;

/// <summary>
/// Materializes one partition of a SQL model: DuckDB runs the model over exactly the live files of its upstream tables (only the
/// partition's course), the tests run over the result, and — unless an error-severity test failed — the result replaces the
/// partition of the model's Iceberg table in one commit. Failing rows of any test go to a report in the quarantine bucket.
/// </summary>
public sealed class SqlModelAsset(SqlModelProject project, SqlModel model) : IAsset
{
    public const string CourseColumn = BronzePartitions.CourseDimension;

    /// <summary>The metadata every step reports; a model's own <c>metadata:</c> figures take other names.</summary>
    public static readonly string[] BuiltInMetadata =
        ["rows_out", "rows_in", "table", "code_version", "sql_file", "tests_run", "tests_failed", "schema", "quarantine_report", "committed", "snapshot_id", "files_written", "bytes_written", "duration_ms"];

    public SqlModel Model { get; } = model;

    public async Task<MaterializeResult> MaterializeAsync(AssetExecutionContext context, CancellationToken cancellationToken)
    {
        var started = context.Clock.GetTimestamp();
        var options = context.Resources.Options;
        var courseId = Model.Partitioning == SqlModelPartitioning.Course ? context.PartitionValue(CourseColumn) : null;
        var cache = Path.Combine(options.Home, "cache", "models");
        var cacheBytes = options.QueryCacheMegabytes * 1024L * 1024L;
        // The inputs' files are found (and staged from S3) before the step waits for the SQL engine: that work needs no engine,
        // and their size decides whether the step may query beside another.
        var inputs = new List<SqlModelInput>();
        await ResolveInputsAsync(context.Resources, cache, cacheBytes, courseId, inputs, cancellationToken);
        var inputBytes = inputs.Sum(i => i.View?.Bytes ?? 0);
        // Bounded memory: model steps share one DuckDB database, so its memory cap holds for all of them together, and only
        // TM_MODEL_CONCURRENCY of them query it at once, more than one only over small inputs (TM_MODEL_JOIN_INPUT_MB).
        await using var engine = await LakeSqlEngine.OpenSharedAsync(context.Resources.Tables, context.Resources.Objects, cache, cacheBytes,
            new SharedEngineLimits(options.ModelMemoryMegabytes, options.ModelThreads, options.ModelConcurrency, options.ModelJoinInputMegabytes), inputBytes,
            () => context.Log.Information("{Asset} waits for the SQL engine: other model steps of this process query it (TM_MODEL_CONCURRENCY {Holders}, TM_MODEL_JOIN_INPUT_MB {JoinInput}; its input {InputMb:F1} MB)",
                Model.Key, options.ModelConcurrency, options.ModelJoinInputMegabytes, inputBytes / 1024.0 / 1024.0), cancellationToken);
        var rowsIn = new Dictionary<string, long>();
        var inlined = new List<SqlModel>();
        foreach (var input in inputs)
        {
            if (input.View is { } view)
            {
                await engine.AttachAsync(view, cancellationToken);
                rowsIn[view.Table.ToString()] = view.Rows;
                continue;
            }
            var upstream = input.Ephemeral!;
            inlined.Add(upstream);
            await RunAsync(engine, $"CREATE SCHEMA IF NOT EXISTS {SnapshotView.Quote(upstream.Table.Namespace)}", cancellationToken);
            await RunAsync(engine, $"CREATE VIEW {SnapshotView.Quote(upstream.Table.Namespace)}.{SnapshotView.Quote(upstream.Table.Name)} AS {upstream.Sql}", cancellationToken);
        }

        var relation = $"{SnapshotView.Quote(Model.Table.Namespace)}.{SnapshotView.Quote(Model.Table.Name)}";
        await RunAsync(engine, $"CREATE SCHEMA IF NOT EXISTS {SnapshotView.Quote(Model.Table.Namespace)}", cancellationToken);
        try
        {
            await RunAsync(engine, $"CREATE TABLE {relation} AS {Model.Sql}", cancellationToken);
        }
        catch (LakeSqlException e)
        {
            throw new SqlModelException($"{Model.File}: the model's SQL failed: {e.Message}", e);
        }
        var definition = await SqlModelTableWriter.DefinitionOfAsync(engine, Model, relation, cancellationToken);
        var rowsOut = await CountAsync(engine, relation, cancellationToken);
        var figures = await FiguresAsync(engine, relation, inlined, cancellationToken);
        if (courseId is not null)
        {
            var others = await CountAsync(engine, $"(SELECT 1 FROM {relation} WHERE {SnapshotView.Quote(CourseColumn)} IS DISTINCT FROM '{courseId.Replace("'", "''", StringComparison.Ordinal)}')", cancellationToken);
            if (others > 0)
                throw new SqlModelException($"{Model.File}: {others} row(s) of partition course_id={courseId} have another or no course_id; a model reads and writes one course per partition.");
        }

        var newestLanded = await NewestLandedAsync(context, courseId, cancellationToken);
        var queried = new Queue<SqlModelTestOutcome>(
            await SqlModelTestRun.RunAllAsync(engine, Model.Tests.Where(t => t.Kind != SqlModelTestKind.SourceFreshness).ToList(), relation, cancellationToken));
        // In the order declared, as the checks are listed.
        var outcomes = new List<SqlModelTestOutcome>();
        foreach (var test in Model.Tests)
            outcomes.Add(test.Kind == SqlModelTestKind.SourceFreshness
                ? await SqlModelTestRun.FreshnessAsync(engine, test, newestLanded, cancellationToken)
                : queried.Dequeue());
        var errors = outcomes.Where(o => !o.Passed && o.Test.Severity == AssetCheckSeverity.Error).ToList();
        var warnings = outcomes.Where(o => !o.Passed && o.Test.Severity == AssetCheckSeverity.Warn).ToList();
        var reportKey = errors.Count + warnings.Count > 0
            ? await SqlModelReport.WriteAsync(context, Model, courseId, rowsOut, errors, warnings, cancellationToken)
            : null;

        var log = context.Log.ForContext("row_count", rowsOut);
        if (courseId is not null) log = log.ForContext(CourseColumn, courseId);
        foreach (var failed in errors.Concat(warnings))
            log.Write(failed.Test.Severity == AssetCheckSeverity.Error ? Serilog.Events.LogEventLevel.Error : Serilog.Events.LogEventLevel.Warning,
                "Test {Test} of {Asset} failed on {Rows} row(s) ({Declared}); report {Report}", failed.Test.Name, Model.Key, failed.FailingRows,
                $"{failed.Test.File} line {failed.Test.Line}", reportKey);

        var metadata = new Dictionary<string, MetadataValue>
        {
            ["rows_out"] = MetadataValue.Int(rowsOut),
            ["rows_in"] = MetadataValue.Json(rowsIn),
            ["table"] = MetadataValue.Text(Model.Table.ToString()),
            ["code_version"] = MetadataValue.Text(Model.Hash),
            ["sql_file"] = MetadataValue.Text(Model.File),
            ["tests_run"] = MetadataValue.Int(outcomes.Count),
            ["tests_failed"] = MetadataValue.Int(errors.Count + warnings.Count),
            ["schema"] = MetadataValue.TableSchema(definition.Schema.Fields.Select(f => new TableColumnInfo(f.Name, f.Type.ToString().ToLowerInvariant(), !f.Required))),
        };
        foreach (var (name, value) in figures) metadata[name] = value;
        if (reportKey is not null) metadata["quarantine_report"] = MetadataValue.Path(reportKey);
        if (errors.Count > 0)
        {
            // As a Silver gate does: Gold keeps its last good rows, the step fails on the checks and downstream is skipped.
            metadata["committed"] = MetadataValue.Json(false);
            log.Error("{Asset}: {Count} error test(s) failed, so nothing was written: {Tests}", Model.Key, errors.Count, string.Join(", ", errors.Select(e => e.Test.Name)));
        }
        else
        {
            var table = await SqlModelTableWriter.OpenAsync(context.Resources.Tables, Model, definition, cancellationToken);
            var partition = courseId is null ? RowFilter.All : RowFilter.Where((CourseColumn, courseId));
            var commit = await SqlModelTableWriter.WriteAsync(engine, relation, table, partition, Path.Combine(cache, "out"),
                new Dictionary<string, string>(context.SnapshotSummary) { ["tm.code-version"] = Model.Hash }, cancellationToken);
            metadata["committed"] = MetadataValue.Json(true);
            metadata["snapshot_id"] = MetadataValue.Int(commit.SnapshotId);
            metadata["files_written"] = MetadataValue.Int(commit.AddedFiles);
            metadata["bytes_written"] = MetadataValue.Int(commit.AddedBytes);
            log.Information("Wrote {RowsOut} row(s) of {Table} from {RowsIn}, snapshot {SnapshotId}", rowsOut, Model.Table, rowsIn, commit.SnapshotId);
        }
        metadata["duration_ms"] = MetadataValue.Int((long)context.Clock.GetElapsedTime(started).TotalMilliseconds);
        return new MaterializeResult { Metadata = metadata, CheckResults = outcomes.Select(o => o.ToCheckResult()).ToList() };
    }

    /// <summary>The tables the model and its tests read: its refs, the relationships' targets, the freshness sources, the custom tests' refs.</summary>
    private IEnumerable<TableIdentifier> ReadTables() =>
        Model.Refs.Select(r => r.Table)
            .Concat(Model.Tests.Where(t => t.To is not null).Select(t => t.To!))
            .Concat(Model.Tests.SelectMany(t => t.Reads))
            .Distinct();

    /// <summary>What the step's engine is given, in the order it is given: a table's view over its live files, or an ephemeral model's view over its refs.</summary>
    private sealed record SqlModelInput(SnapshotView? View, SqlModel? Ephemeral);

    private async Task ResolveInputsAsync(LakehouseResources resources, string cache, long cacheBytes, string? courseId, List<SqlModelInput> inputs,
        CancellationToken cancellationToken)
    {
        var seen = new HashSet<TableIdentifier> { Model.Table };
        foreach (var table in ReadTables()) await ResolveAsync(table);

        async Task ResolveAsync(TableIdentifier table)
        {
            if (!seen.Add(table)) return;
            if (project.Models.TryGetValue(table, out var upstream) && upstream.Materialization == SqlModelMaterialization.Ephemeral)
            {
                // An ephemeral model's refs come first: DuckDB binds a view when it is created.
                foreach (var r in upstream.Refs) await ResolveAsync(r.Table);
                inputs.Add(new SqlModelInput(null, upstream));
                return;
            }
            var loaded = await resources.Tables.LoadAsync(table, cancellationToken)
                         ?? throw new SqlModelException($"{Model.File}: table {table} does not exist yet: materialize {table.Namespace}/{table.Name} before {Model.Key}.");
            var view = await LakeSqlEngine.ResolveViewAsync(loaded, resources.Objects, cache, cacheBytes, SnapshotSelector.Current,
                courseId is null ? null : (CourseColumn, courseId), cancellationToken);
            inputs.Add(new SqlModelInput(view, null));
        }
    }

    /// <summary>
    /// The <c>metadata:</c> figures of the model (over its result) and of the ephemeral models it inlines (over their views), one
    /// query per relation and filter. A figure named by two inlined models is reported once, from the first.
    /// </summary>
    private async Task<Dictionary<string, MetadataValue>> FiguresAsync(LakeSqlEngine engine, string relation, List<SqlModel> inlined, CancellationToken cancellationToken)
    {
        var figures = new Dictionary<string, MetadataValue>();
        var sources = inlined.Select(m => (Model: m, Relation: $"{SnapshotView.Quote(m.Table.Namespace)}.{SnapshotView.Quote(m.Table.Name)}")).Prepend((Model, relation));
        foreach (var (source, over) in sources)
            foreach (var group in source.Metadata.Where(f => !figures.ContainsKey(f.Name)).GroupBy(f => f.Where))
            {
                var list = group.ToList();
                var sql = $"SELECT {string.Join(", ", list.Select(f => $"({f.Expression}) AS {SnapshotView.Quote(f.Name)}"))} FROM {over}" + (group.Key is null ? "" : $" WHERE {group.Key}");
                try
                {
                    await using var reader = await engine.ExecuteReaderAsync(sql, cancellationToken);
                    var one = await reader.ReadAsync(cancellationToken);
                    if (one) for (var i = 0; i < list.Count; i++) figures[list[i].Name] = FigureOf(reader.GetValue(i));
                    if (!one || await reader.ReadAsync(cancellationToken))
                        throw new SqlModelException($"{list[0].File} line {list[0].Line}: metadata {string.Join(", ", list.Select(f => f.Name))} must give one row: use aggregates such as count(*) or sum(x).");
                }
                catch (LakeSqlException e)
                {
                    throw new SqlModelException($"{list[0].File} line {list[0].Line}: metadata {string.Join(", ", list.Select(f => f.Name))} failed: {e.Message}", e);
                }
            }
        return figures;
    }

    /// <summary>An aggregate of no rows (a sum over an empty filter) is null; a count is an integer, an average a float.</summary>
    private static MetadataValue FigureOf(object value) => value switch
    {
        DBNull => MetadataValue.Json<object?>(null),
        System.Numerics.BigInteger big => MetadataValue.Int((long)big), // sum() of integers is a HUGEINT
        long or int or short or sbyte or uint or ushort or byte => MetadataValue.Int(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        decimal d when d == decimal.Truncate(d) => MetadataValue.Int((long)d),
        double or float or decimal => MetadataValue.Float(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
        bool b => MetadataValue.Json(b),
        _ => MetadataValue.Text(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };

    private static async Task<DateOnly?> NewestLandedAsync(AssetExecutionContext context, string? courseId, CancellationToken cancellationToken)
    {
        var keys = await context.Resources.Instance.Partitions.GetDynamicPartitionKeysAsync(BronzePartitions.Name, cancellationToken);
        DateOnly? newest = null;
        foreach (var key in keys)
        {
            var parts = key.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
            if (courseId is not null && parts.GetValueOrDefault(BronzePartitions.CourseDimension) != courseId) continue;
            if (DateOnly.TryParseExact(parts.GetValueOrDefault(BronzePartitions.IngestDateDimension), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                && (newest is null || day > newest))
                newest = day;
        }
        return newest;
    }

    private static async Task<long> CountAsync(LakeSqlEngine engine, string relation, CancellationToken cancellationToken)
    {
        await using var reader = await engine.ExecuteReaderAsync($"SELECT count(*) FROM {relation}", cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
    }

    private static async Task RunAsync(LakeSqlEngine engine, string sql, CancellationToken cancellationToken)
    {
        await using var reader = await engine.ExecuteReaderAsync(sql, cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) { }
    }
}
