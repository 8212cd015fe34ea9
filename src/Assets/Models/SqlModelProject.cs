using System.Security.Cryptography;
using System.Text;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Tables;

namespace TmLakehouse.Assets.Models;

/// <summary>
/// Every SQL model of a models folder (<c>&lt;layer&gt;/&lt;name&gt;.sql</c>) and every custom test (<c>tests/*.sql</c>), loaded
/// and validated at start-up: a bad header, a SQL syntax error, an unknown ref or a cycle stops the load naming the file and line.
/// </summary>
public sealed class SqlModelProject
{
    public const string TestsFolder = "tests";

    private SqlModelProject(string folder, IReadOnlyDictionary<TableIdentifier, SqlModel> models, int syntaxParsed)
    {
        Folder = folder;
        Models = models;
        SyntaxParsed = syntaxParsed;
    }

    /// <summary>How many SQL texts DuckDB parsed for this load; the others were known to parse (<see cref="SqlSyntaxChecker"/>).</summary>
    public int SyntaxParsed { get; }

    public string Folder { get; }

    /// <summary>Every model, table and ephemeral, by its table name.</summary>
    public IReadOnlyDictionary<TableIdentifier, SqlModel> Models { get; }

    /// <summary>The models that are assets (not ephemeral), in name order.</summary>
    public IReadOnlyList<SqlModel> TableModels =>
        Models.Values.Where(m => m.Materialization == SqlModelMaterialization.Table).OrderBy(m => m.Key).ToList();

    public static SqlModelProject Empty { get; } = new("", new Dictionary<TableIdentifier, SqlModel>(), 0);

    /// <summary>Loads the folder; <paramref name="codeAssets"/> are the assets defined in C#, which models may ref and must not redefine.</summary>
    public static SqlModelProject Load(string folder, IReadOnlyCollection<AssetKey> codeAssets) =>
        Load(folder, codeAssets, SqlSyntaxChecker.DefaultCacheFolder());

    /// <summary>As <see cref="Load(string, IReadOnlyCollection{AssetKey})"/>, remembering the SQL that parsed in <paramref name="syntaxCacheFolder"/> (none when null).</summary>
    public static SqlModelProject Load(string folder, IReadOnlyCollection<AssetKey> codeAssets, string? syntaxCacheFolder)
    {
        if (!Directory.Exists(folder)) throw new SqlModelException($"The models folder {folder} does not exist (TM_MODELS_DIR names it).");
        var shownFrom = Path.GetDirectoryName(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar)) ?? folder;
        string Shown(string path) => Path.GetRelativePath(shownFrom, path).Replace(Path.DirectorySeparatorChar, '/');

        using var syntax = new SqlSyntaxChecker(syntaxCacheFolder);
        var models = new Dictionary<TableIdentifier, SqlModel>();
        foreach (var layerFolder in Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal))
        {
            var layer = Path.GetFileName(layerFolder);
            if (layer == TestsFolder) continue;
            foreach (var path in Directory.EnumerateFiles(layerFolder, "*.sql").Order(StringComparer.Ordinal))
            {
                var model = ReadModel(syntax, path, Shown(path), layer);
                if (codeAssets.Contains(model.Key))
                    throw SqlModelException.At(model.File, 1, $"asset {model.Key} is already defined in C#; rename the model or remove the C# asset.");
                models.Add(model.Table, model);
            }
        }
        Validate(models, codeAssets);

        var testsFolder = Path.Combine(folder, TestsFolder);
        if (Directory.Exists(testsFolder))
            foreach (var path in Directory.EnumerateFiles(testsFolder, "*.sql").Order(StringComparer.Ordinal))
                AddCustomTest(syntax, models, path, Shown(path));
        return new SqlModelProject(Path.GetFullPath(folder), models, syntax.Parsed);
    }

    /// <summary>The upstream assets of a model, with the refs to ephemeral models replaced by theirs.</summary>
    public IReadOnlyList<AssetKey> AssetUpstreamsOf(SqlModel model)
    {
        var result = new List<AssetKey>();
        foreach (var key in model.Upstreams)
        {
            var table = new TableIdentifier(key.Prefix, key.Value[(key.Prefix.Length + 1)..]);
            if (Models.TryGetValue(table, out var upstream) && upstream.Materialization == SqlModelMaterialization.Ephemeral)
                result.AddRange(AssetUpstreamsOf(upstream));
            else result.Add(key);
        }
        foreach (var test in model.Tests.Where(t => t.To is not null && t.Kind == SqlModelTestKind.Relationships))
            result.Add(new AssetKey($"{test.To!.Namespace}/{test.To.Name}"));
        return result.Distinct().Where(k => k != model.Key).ToList();
    }

    private static SqlModel ReadModel(SqlSyntaxChecker syntax, string path, string file, string layer)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        if (SqlModelText.ParseTableName($"{layer}.{name}") is not { } table)
            throw SqlModelException.At(file, 1, $"'{layer}/{name}' is not a model name: folder and file names are letters, digits and '_'.");
        var text = File.ReadAllText(path);
        var (frontMatter, headerLine, body, bodyLine) = SqlModelText.Split(text, file);
        var ymlPath = Path.ChangeExtension(path, ".yml");
        var headerText = frontMatter;
        var headerFile = file;
        if (File.Exists(ymlPath))
        {
            if (frontMatter is not null)
                throw SqlModelException.At(file, 1, $"the model has both front matter and {Path.GetFileName(ymlPath)}; keep one header.");
            headerText = File.ReadAllText(ymlPath);
            headerFile = Path.ChangeExtension(file, ".yml");
            headerLine = 1;
        }
        var header = SqlModelHeader.Read(headerText ?? "", headerFile, headerLine);
        var (sql, refs) = SqlModelText.ResolveRefs(body, bodyLine, file);
        if (string.IsNullOrWhiteSpace(sql)) throw SqlModelException.At(file, bodyLine, "the model has no SQL: write one SELECT statement.");
        syntax.Check(sql, bodyLine, file);
        foreach (var figure in header.Metadata)
        {
            if (SqlModelAsset.BuiltInMetadata.Contains(figure.Name))
                throw SqlModelException.At(figure.File, figure.Line, $"metadata '{figure.Name}' is one the step reports itself ({string.Join(", ", SqlModelAsset.BuiltInMetadata)}); choose another name.");
            syntax.Check(figure.QueryOver("t"), figure.Line, figure.File);
        }
        if (header.Materialization == SqlModelMaterialization.Ephemeral && header.Tests.Count > 0)
            throw SqlModelException.At(headerFile, header.Tests[0].Line, "an ephemeral model has no table to test; move the tests to a model that refs it.");
        return new SqlModel
        {
            Table = table,
            File = file,
            Sql = sql.Trim().TrimEnd(';'),
            Refs = refs,
            Description = header.Description,
            Partitioning = header.Partitioning,
            Materialization = header.Materialization,
            DependsOn = header.DependsOn,
            Columns = header.Columns,
            Tests = header.Tests,
            Metadata = header.Metadata,
            Automation = header.Automation ?? SqlModelAutomation.DefaultFor(table.Namespace),
            Hash = Hash(text + "\n" + (headerFile != file ? headerText : "")),
        };
    }

    private static void Validate(Dictionary<TableIdentifier, SqlModel> models, IReadOnlyCollection<AssetKey> codeAssets)
    {
        bool Known(TableIdentifier t) => models.ContainsKey(t) || codeAssets.Contains(new AssetKey($"{t.Namespace}/{t.Name}"));
        foreach (var model in models.Values)
        {
            foreach (var r in model.Refs.Where(r => !Known(r.Table)))
                throw SqlModelException.At(model.File, r.Line, $"ref('{r.Table}') names no model or asset. Known: {string.Join(", ", KnownNames(models, codeAssets))}.");
            foreach (var r in model.Refs.Where(r => r.Table == model.Table))
                throw SqlModelException.At(model.File, r.Line, $"the model refs itself ({r.Table}).");
            foreach (var key in model.DependsOn.Where(k => !codeAssets.Contains(k) && models.Values.All(m => m.Key != k)))
                throw SqlModelException.At(model.File, 1, $"depends_on names {key}, which is no asset.");
            foreach (var test in model.Tests.Where(t => t.To is { } to && !Known(to)))
                throw SqlModelException.At(test.File, test.Line, $"test {test.Name} names table {test.To}, which is no model or asset.");
        }
        FindCycle(models);
    }

    private static IEnumerable<string> KnownNames(Dictionary<TableIdentifier, SqlModel> models, IReadOnlyCollection<AssetKey> codeAssets) =>
        models.Keys.Select(k => k.ToString()).Concat(codeAssets.Select(k => k.Value.Replace('/', '.'))).Order(StringComparer.Ordinal);

    /// <summary>Depth-first over the refs between models; the first cycle found is reported at the ref that closes it.</summary>
    private static void FindCycle(Dictionary<TableIdentifier, SqlModel> models)
    {
        var state = new Dictionary<TableIdentifier, int>();
        var path = new List<TableIdentifier>();
        void Visit(SqlModel model)
        {
            state[model.Table] = 1;
            path.Add(model.Table);
            foreach (var r in model.Refs)
            {
                if (!models.TryGetValue(r.Table, out var upstream)) continue;
                var seen = state.GetValueOrDefault(r.Table);
                if (seen == 1)
                {
                    var cycle = path.Skip(path.IndexOf(r.Table)).Append(r.Table).Select(t => t.ToString());
                    throw SqlModelException.At(model.File, r.Line, $"the models form a cycle: {string.Join(" -> ", cycle)} (each refs the next).");
                }
                if (seen == 0) Visit(upstream);
            }
            path.RemoveAt(path.Count - 1);
            state[model.Table] = 2;
        }
        foreach (var model in models.Values.OrderBy(m => m.Table.ToString(), StringComparer.Ordinal))
            if (!state.ContainsKey(model.Table)) Visit(model);
    }

    /// <summary>
    /// A custom test is a query whose rows are failures; it belongs to the model it refs (of several, the one downstream of the
    /// others) and runs in that model's step with the model's new result in place of its table.
    /// </summary>
    private static void AddCustomTest(SqlSyntaxChecker syntax, Dictionary<TableIdentifier, SqlModel> models, string path, string file)
    {
        var text = File.ReadAllText(path);
        var (frontMatter, headerLine, body, bodyLine) = SqlModelText.Split(text, file);
        var header = CustomTestHeader.Read(frontMatter, file, headerLine);
        var (sql, refs) = SqlModelText.ResolveRefs(body, bodyLine, file);
        syntax.Check(sql, bodyLine, file);
        foreach (var r in refs.Where(r => !models.ContainsKey(r.Table) && r.Table.Namespace is not ("silver" or "bronze")))
            throw SqlModelException.At(file, r.Line, $"ref('{r.Table}') names no model.");
        var owners = refs.Select(r => models.GetValueOrDefault(r.Table)).OfType<SqlModel>()
            .Where(m => m.Materialization == SqlModelMaterialization.Table).DistinctBy(m => m.Table).ToList();
        if (owners.Count == 0) throw SqlModelException.At(file, bodyLine, "a custom test must ref the model it tests, e.g. FROM ref('gold.fact_rounds').");
        var owner = owners.FirstOrDefault(o => owners.All(other => other == o || DependsOn(models, o, other.Table)))
            ?? throw SqlModelException.At(file, bodyLine, $"the test refs {string.Join(", ", owners.Select(o => o.Table))}, none downstream of the others: split it into one test per model.");
        var test = new SqlModelTest(SqlModelTestKind.Custom, header.Name ?? Path.GetFileNameWithoutExtension(path), header.Severity, file, bodyLine)
        {
            Sql = sql.Trim().TrimEnd(';'),
            Description = header.Description,
            Reads = refs.Select(r => r.Table).Distinct().ToList(),
        };
        if (owner.Tests.Any(t => t.Name == test.Name)) throw SqlModelException.At(file, 1, $"model {owner.Key} already has a test named {test.Name}.");
        models[owner.Table] = owner with { Tests = [.. owner.Tests, test], Hash = Hash(owner.Hash + text) };
    }

    private static bool DependsOn(Dictionary<TableIdentifier, SqlModel> models, SqlModel model, TableIdentifier upstream) =>
        model.Refs.Any(r => r.Table == upstream || (models.TryGetValue(r.Table, out var m) && DependsOn(models, m, upstream)));

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}
