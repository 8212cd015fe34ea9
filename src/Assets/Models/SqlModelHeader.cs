using System.Globalization;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Quality;
using Lakehouse.Core.Tables;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TmLakehouse.Assets.Models;

/// <summary>
/// A model's header (YAML front matter or the <c>.yml</c> beside it), read node by node so every mistake — an unknown key, a
/// wrong type, an unknown test — is reported with its file and line.
/// </summary>
internal sealed class SqlModelHeader
{
    private static readonly string[] ModelKeys = ["description", "partitions", "materialized", "depends_on", "automation", "columns", "tests", "metadata"];
    private static readonly string[] MetadataKeys = ["name", "expression", "where", "description"];
    private static readonly string[] ColumnKeys = ["name", "description", "tests"];
    private static readonly string[] TestArguments =
        ["name", "description", "severity", "column", "columns", "values", "min", "max", "to", "field", "expression", "source", "max_lag_days"];

    private readonly string _file;
    private readonly int _firstLine;

    private SqlModelHeader(string file, int firstLine)
    {
        _file = file;
        _firstLine = firstLine;
    }

    public string Description { get; private set; } = "";
    public SqlModelPartitioning Partitioning { get; private set; } = SqlModelPartitioning.Course;
    public SqlModelMaterialization Materialization { get; private set; } = SqlModelMaterialization.Table;
    public List<AssetKey> DependsOn { get; } = [];
    /// <summary>Null when the header does not say (the layer's default applies: <see cref="SqlModelAutomation.DefaultFor"/>).</summary>
    public SqlModelAutomation? Automation { get; private set; }
    public List<SqlModelColumn> Columns { get; } = [];
    public List<SqlModelTest> Tests { get; } = [];
    public List<SqlModelMetadata> Metadata { get; } = [];

    /// <summary>Reads a header whose first line is line <paramref name="firstLine"/> of <paramref name="file"/>; empty text is an empty header.</summary>
    public static SqlModelHeader Read(string yaml, string file, int firstLine)
    {
        var header = new SqlModelHeader(file, firstLine);
        if (string.IsNullOrWhiteSpace(yaml)) return header;
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw SqlModelException.At(file, firstLine + (int)e.Start.Line - 1, $"the header is not valid YAML: {e.InnerException?.Message ?? e.Message}");
        }
        if (stream.Documents.Count == 0) return header;
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
            throw header.Error(stream.Documents[0].RootNode, "the header must be a mapping of keys such as description, partitions, columns, tests.");
        header.ReadModel(root);
        return header;
    }

    private void ReadModel(YamlMappingNode root)
    {
        foreach (var (keyNode, value) in root.Children)
        {
            var key = Scalar(keyNode);
            switch (key)
            {
                case "description": Description = Scalar(value); break;
                case "partitions":
                    Partitioning = Scalar(value) switch
                    {
                        "course" => SqlModelPartitioning.Course,
                        "none" => SqlModelPartitioning.None,
                        var other => throw Error(value, $"partitions '{other}' is not known: use course (one partition per course, the default) or none."),
                    };
                    break;
                case "materialized":
                    Materialization = Scalar(value) switch
                    {
                        "table" => SqlModelMaterialization.Table,
                        "ephemeral" => SqlModelMaterialization.Ephemeral,
                        var other => throw Error(value, $"materialized '{other}' is not known: use table (the default) or ephemeral."),
                    };
                    break;
                case "depends_on":
                    foreach (var item in Sequence(value))
                    {
                        var text = Scalar(item);
                        if (!text.Contains('/', StringComparison.Ordinal)) throw Error(item, $"depends_on '{text}' is not an asset key such as silver/fact_telemetry_event.");
                        DependsOn.Add(new AssetKey(text));
                    }
                    break;
                case "automation": Automation = ReadAutomation(value); break;
                case "columns":
                    foreach (var item in Sequence(value)) ReadColumn(item);
                    break;
                case "tests":
                    foreach (var item in Sequence(value)) Tests.Add(ReadTest(item, column: null));
                    break;
                case "metadata":
                    foreach (var item in Sequence(value)) Metadata.Add(ReadMetadata(item));
                    break;
                default:
                    throw Error(keyNode, $"unknown header key '{key}'. Known: {string.Join(", ", ModelKeys)}.");
            }
        }
    }

    private SqlModelAutomation ReadAutomation(YamlNode value)
    {
        if (value is YamlMappingNode map)
        {
            var (key, cron) = Single(map);
            if (key != "cron") throw Error(map, $"automation '{key}' is not known: use none, eager or cron: \"m h dom mon dow\".");
            var expression = Scalar(cron);
            if (expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length != 5)
                throw Error(cron, $"automation cron '{expression}' needs five fields: minute hour day-of-month month day-of-week.");
            return new SqlModelAutomation("cron", expression);
        }
        return Scalar(value) switch
        {
            "none" => SqlModelAutomation.None,
            "eager" => SqlModelAutomation.Eager,
            var other => throw Error(value, $"automation '{other}' is not known: use none, eager or cron: \"m h dom mon dow\"."),
        };
    }

    private void ReadColumn(YamlNode node)
    {
        if (node is not YamlMappingNode map) throw Error(node, "a column is a mapping with name, description and tests.");
        string? name = null;
        var description = "";
        YamlNode? tests = null;
        foreach (var (keyNode, value) in map.Children)
        {
            switch (Scalar(keyNode))
            {
                case "name": name = Scalar(value); break;
                case "description": description = Scalar(value); break;
                case "tests": tests = value; break;
                case var other: throw Error(keyNode, $"unknown column key '{other}'. Known: {string.Join(", ", ColumnKeys)}.");
            }
        }
        if (string.IsNullOrEmpty(name)) throw Error(node, "a column needs a name.");
        if (Columns.Any(c => c.Name == name)) throw Error(node, $"column '{name}' is described twice.");
        Columns.Add(new SqlModelColumn(name, description));
        if (tests is not null)
            foreach (var item in Sequence(tests)) Tests.Add(ReadTest(item, name));
    }

    /// <summary>A figure for the materialization metadata: <c>{name: reexported_rounds, expression: "count(DISTINCT round_id)", where: "reexported"}</c>.</summary>
    private SqlModelMetadata ReadMetadata(YamlNode node)
    {
        if (node is not YamlMappingNode map) throw Error(node, "a metadata entry is a mapping with name, expression and optionally where and description.");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in map.Children)
        {
            var key = Scalar(keyNode);
            if (!MetadataKeys.Contains(key)) throw Error(keyNode, $"unknown metadata key '{key}'. Known: {string.Join(", ", MetadataKeys)}.");
            values[key] = Scalar(value);
        }
        if (!values.TryGetValue("name", out var name) || SqlModelText.ParseTableName($"m.{name}") is null)
            throw Error(node, "a metadata entry needs a name of letters, digits and '_', e.g. name: reexported_rounds.");
        if (Metadata.Any(m => m.Name == name)) throw Error(node, $"metadata '{name}' is declared twice.");
        if (!values.TryGetValue("expression", out var expression) || string.IsNullOrWhiteSpace(expression))
            throw Error(node, $"metadata '{name}' needs an expression: an aggregate over the model's rows, e.g. expression: \"count(DISTINCT round_id)\".");
        return new SqlModelMetadata(name, expression, _file, Line(node))
        {
            Where = values.GetValueOrDefault("where") is { Length: > 0 } where ? where : null,
            Description = values.GetValueOrDefault("description") ?? "",
        };
    }

    /// <summary>A test: a bare name (<c>not_null</c>) or a one-key mapping (<c>accepted_values: {values: [...]}</c>).</summary>
    private SqlModelTest ReadTest(YamlNode node, string? column)
    {
        string kindText;
        YamlMappingNode? arguments = null;
        if (node is YamlScalarNode scalar) kindText = Scalar(scalar);
        else if (node is YamlMappingNode map)
        {
            var (key, value) = Single(map);
            kindText = key;
            arguments = value switch
            {
                YamlMappingNode m => m,
                YamlScalarNode { Value: "" or null } => null,
                // expression: "a >= b" is short for expression: {expression: "a >= b"}.
                YamlScalarNode s when key == "expression" => new YamlMappingNode(new YamlScalarNode("expression"), s),
                _ => throw Error(value, $"the arguments of test '{key}' must be a mapping, e.g. {key}: {{severity: warn}}."),
            };
        }
        else throw Error(node, "a test is a name such as not_null or a mapping such as accepted_values: {values: [a, b]}.");

        var kind = kindText switch
        {
            "not_null" => SqlModelTestKind.NotNull,
            "unique" => SqlModelTestKind.Unique,
            "accepted_values" => SqlModelTestKind.AcceptedValues,
            "accepted_range" => SqlModelTestKind.AcceptedRange,
            "relationships" => SqlModelTestKind.Relationships,
            "expression" => SqlModelTestKind.Expression,
            "source_freshness" => SqlModelTestKind.SourceFreshness,
            _ => throw Error(node, $"unknown test '{kindText}'. Known: not_null, unique, accepted_values, accepted_range, relationships, expression, source_freshness."),
        };
        var args = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in arguments?.Children ?? (IEnumerable<KeyValuePair<YamlNode, YamlNode>>)[])
        {
            var key = Scalar(keyNode);
            if (!TestArguments.Contains(key)) throw Error(keyNode, $"unknown argument '{key}' of test '{kindText}'. Known: {string.Join(", ", TestArguments)}.");
            args[key] = value;
        }
        var line = Line(node);
        var columns = args.TryGetValue("columns", out var many) ? Sequence(many).Select(Scalar).ToList()
            : args.TryGetValue("column", out var one) ? [Scalar(one)]
            : column is not null ? [column] : [];
        var needsColumn = kind is not (SqlModelTestKind.Expression or SqlModelTestKind.SourceFreshness);
        if (needsColumn && columns.Count == 0) throw Error(node, $"test '{kindText}' needs a column: declare it under a column or give column: NAME.");
        if (kind != SqlModelTestKind.Unique && columns.Count > 1) throw Error(node, $"test '{kindText}' checks one column; only unique takes several.");
        var severity = args.TryGetValue("severity", out var sev)
            ? Scalar(sev) switch
            {
                "error" => AssetCheckSeverity.Error,
                "warn" => AssetCheckSeverity.Warn,
                var other => throw Error(sev, $"severity '{other}' is not known: use error or warn."),
            }
            : kind == SqlModelTestKind.SourceFreshness ? AssetCheckSeverity.Warn : AssetCheckSeverity.Error;

        var test = new SqlModelTest(kind, "", severity, _file, line)
        {
            Columns = columns,
            Description = args.TryGetValue("description", out var d) ? Scalar(d) : "",
        };
        test = kind switch
        {
            SqlModelTestKind.AcceptedValues => test with
            {
                Values = args.TryGetValue("values", out var values) ? Sequence(values).Select(Scalar).ToList() : throw Error(node, "accepted_values needs values: [a, b, ...]."),
            },
            SqlModelTestKind.AcceptedRange => test with
            {
                Min = args.TryGetValue("min", out var min) ? Number(min) : null,
                Max = args.TryGetValue("max", out var max) ? Number(max) : null,
            },
            SqlModelTestKind.Relationships => test with
            {
                To = args.TryGetValue("to", out var to) ? TableOf(to) : throw Error(node, "relationships needs to: ns.table (e.g. gold.fact_rounds)."),
                Field = args.TryGetValue("field", out var field) ? Scalar(field) : columns[0],
            },
            SqlModelTestKind.Expression => test with
            {
                Sql = args.TryGetValue("expression", out var e) ? Scalar(e) : throw Error(node, "expression needs the condition every row must meet, e.g. expression: \"a >= b\"."),
            },
            SqlModelTestKind.SourceFreshness => test with
            {
                To = args.TryGetValue("source", out var source) ? TableOf(source) : new TableIdentifier("silver", "fact_telemetry_event"),
                MaxLagDays = args.TryGetValue("max_lag_days", out var lag) ? (int)Number(lag) : 0,
            },
            _ => test,
        };
        if (test is { Kind: SqlModelTestKind.AcceptedRange, Min: null, Max: null }) throw Error(node, "accepted_range needs min, max or both.");
        var name = args.TryGetValue("name", out var n) ? Scalar(n) : DefaultName(test, kindText);
        return test with { Name = name };
    }

    private static string DefaultName(SqlModelTest test, string kind) => test.Kind switch
    {
        SqlModelTestKind.Relationships => $"relationships_{test.Columns[0]}_to_{test.To!.Namespace}_{test.To.Name}",
        SqlModelTestKind.Expression => $"expression_line_{test.Line}",
        SqlModelTestKind.SourceFreshness => $"source_freshness_{test.To!.Namespace}_{test.To.Name}",
        _ => $"{kind}_{string.Join("_", test.Columns)}",
    };

    private TableIdentifier TableOf(YamlNode node)
    {
        var text = Scalar(node);
        return SqlModelText.ParseTableName(text) ?? throw Error(node, $"'{text}' is not a table name such as gold.fact_rounds.");
    }

    private double Number(YamlNode node) =>
        double.TryParse(Scalar(node), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : throw Error(node, $"'{Scalar(node)}' is not a number.");

    private (string Key, YamlNode Value) Single(YamlMappingNode map)
    {
        if (map.Children.Count != 1) throw Error(map, "expected a mapping with exactly one key.");
        var (key, value) = map.Children.First();
        return (Scalar(key), value);
    }

    private IEnumerable<YamlNode> Sequence(YamlNode node) => node switch
    {
        YamlSequenceNode s => s.Children,
        YamlScalarNode { Value: "" or null } => [],
        _ => throw Error(node, "expected a list (- item, or [a, b])."),
    };

    private string Scalar(YamlNode node) => node is YamlScalarNode s ? s.Value ?? "" : throw Error(node, "expected a single value here.");

    private int Line(YamlNode node) => _firstLine + (int)node.Start.Line - 1;

    private SqlModelException Error(YamlNode node, string problem) => SqlModelException.At(_file, Line(node), problem);
}
