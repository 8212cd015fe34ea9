using Lakehouse.Core.Assets;
using Lakehouse.Core.Partitions;
using Lakehouse.Core.Quality;
using TmLakehouse.Assets.Models;

namespace TmLakehouse.Assets.Tests.Models;

/// <summary>Loading the models folder: the repository's models join the graph; every kind of mistake stops the load at its file and line.</summary>
public sealed class SqlModelProjectTests : IDisposable
{
    private readonly ModelLake _lake = new();
    private readonly string _models;

    public SqlModelProjectTests() => _models = _lake.CopyModels();

    public void Dispose() => _lake.Dispose();

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_models, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private string LoadError() => Assert.Throws<SqlModelException>(() => Definitions.All(_models)).Message;

    [Fact]
    public void RepositoryModels_AreTheTenGoldAssets_WiredToSilverAndToEachOther()
    {
        var all = Definitions.All(ModelLake.RepositoryModels);
        var gold = all.Where(d => d.Key.Value.StartsWith("gold/", StringComparison.Ordinal)).Select(d => d.Key.Value).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(["gold/course_rounds_by_month", "gold/course_rounds_by_weekday", "gold/course_start_hole_distribution", "gold/data_quality_overview",
            "gold/device_health_errors", "gold/dim_course", "gold/fact_round_hole_performance", "gold/fact_rounds", "gold/pace_summary_by_round", "gold/signal_quality_rounds"], gold);
        Assert.DoesNotContain(all, d => d.Key.Value.StartsWith("intermediate/", StringComparison.Ordinal));
        var graph = AssetGraph.Build(all);
        // The ephemeral model is inlined: fact_rounds reads Silver, every ingest of its course.
        var factRounds = graph.Spec(new AssetKey("gold/fact_rounds"));
        var silver = Assert.Single(factRounds.Deps);
        Assert.Equal("silver/fact_telemetry_event", silver.Key.Value);
        Assert.Equal(new DimensionPartitionMapping("course_id"), silver.Mapping);
        Assert.Equal(["gold/fact_rounds"], graph.Parents(new AssetKey("gold/pace_summary_by_round")).Select(k => k.Value));
        Assert.Contains(factRounds.Checks, c => c is { Name: "not_null_round_id", Severity: AssetCheckSeverity.Error, Blocking: true });
        Assert.Contains(factRounds.Checks, c => c is { Name: "source_freshness_silver_fact_telemetry_event", Severity: AssetCheckSeverity.Warn, Blocking: false });
        Assert.Matches("^[0-9a-f]{16}$", factRounds.CodeVersion);
        Assert.Equal(AutomationCondition.Eager, factRounds.Automation); // automation: eager in its header
        // The custom test belongs to the model downstream of everything it refs.
        Assert.Contains(graph.Spec(new AssetKey("gold/course_rounds_by_month")).Checks, c => c.Name == "month_rounds_match_fact_rounds");
    }

    [Fact]
    public void SqlSyntaxError_IsReportedAtItsLine()
    {
        Write("gold/broken.sql", "---\ndescription: x\n---\nSELECT course_id,\n  round_id\nFROM ref('gold.fact_rounds')\nWHERE AND\n");
        Assert.StartsWith("models/gold/broken.sql line 7: SQL syntax error", LoadError());
    }

    [Fact]
    public void SqlThatParsedBefore_IsNotParsedAgain_ButAnEditedOrBrokenModelIs()
    {
        var cache = Path.Combine(_models, "..", "syntax-cache");
        var keys = Definitions.Code().SelectMany(d => d.Keys).ToHashSet();

        var first = SqlModelProject.Load(_models, keys, cache);
        Assert.True(first.SyntaxParsed >= first.Models.Count, $"a first load parses every model ({first.SyntaxParsed} texts for {first.Models.Count} models)");
        Assert.Equal(0, SqlModelProject.Load(_models, keys, cache).SyntaxParsed);

        Write("gold/extra.sql", "---\ndescription: x\n---\nSELECT course_id FROM ref('gold.fact_rounds')\n");
        Assert.Equal(1, SqlModelProject.Load(_models, keys, cache).SyntaxParsed);

        // A text that fails is never remembered: it fails every load, cache or not.
        Write("gold/extra.sql", "---\ndescription: x\n---\nSELECT course_id FROM ref('gold.fact_rounds') WHERE AND\n");
        for (var load = 0; load < 2; load++)
            Assert.StartsWith("models/gold/extra.sql line 4: SQL syntax error", Assert.Throws<SqlModelException>(() => SqlModelProject.Load(_models, keys, cache)).Message);
    }

    [Fact]
    public void AnUnwritableSyntaxCache_OnlyMeansParsingEveryTime()
    {
        var blocker = Path.Combine(_models, "..", "not-a-folder");
        File.WriteAllText(blocker, "a file where the cache folder would be");
        var keys = Definitions.Code().SelectMany(d => d.Keys).ToHashSet();

        var first = SqlModelProject.Load(_models, keys, blocker);
        Assert.True(first.SyntaxParsed > 0);
        Assert.Equal(first.SyntaxParsed, SqlModelProject.Load(_models, keys, blocker).SyntaxParsed);
    }

    [Fact]
    public void UnknownRef_IsReportedAtItsLine_WithTheKnownNames()
    {
        Write("gold/typo.sql", "SELECT *\nFROM ref('gold.fact_round')\n");
        var error = LoadError();
        Assert.StartsWith("models/gold/typo.sql line 2: ref('gold.fact_round') names no model or asset.", error);
        Assert.Contains("gold.fact_rounds", error);
    }

    [Fact]
    public void Cycle_IsReportedWithItsPath()
    {
        Write("gold/a.sql", "SELECT * FROM ref('gold.b')\n");
        Write("gold/b.sql", "SELECT *\nFROM ref('gold.a')\n");
        Assert.Contains("the models form a cycle: gold.a -> gold.b -> gold.a", LoadError());
    }

    [Fact]
    public void HeaderMistakes_AreReportedAtTheirLine()
    {
        Write("gold/h1.sql", "---\ndescription: x\ncolums: []\n---\nSELECT 1 AS course_id\n");
        Assert.StartsWith("models/gold/h1.sql line 3: unknown header key 'colums'", LoadError());
        File.Delete(Path.Combine(_models, "gold/h1.sql"));

        Write("gold/h2.sql", "SELECT 'x' AS course_id, 1 AS n\n");
        Write("gold/h2.yml", "columns:\n  - name: n\n    tests:\n      - acceptd_values: {values: [1]}\n");
        Assert.StartsWith("models/gold/h2.yml line 4: unknown test 'acceptd_values'", LoadError());
        Write("gold/h2.yml", "columns:\n  - name: n\n    tests: [{accepted_range: {min: 1, severity: fatal}}]\n");
        Assert.StartsWith("models/gold/h2.yml line 3: severity 'fatal' is not known", LoadError());
        Write("gold/h2.yml", "tests:\n  - relationships: {column: n, to: gold.nope}\n");
        Assert.StartsWith("models/gold/h2.yml line 2: test relationships_n_to_gold_nope names table gold.nope", LoadError());
    }

    [Fact]
    public void MetadataMistakes_AreReportedAtTheirLine()
    {
        Write("gold/m1.sql", "---\nmetadata:\n  - {name: rounds, expresion: \"count(*)\"}\n---\nSELECT 'x' AS course_id\n");
        Assert.StartsWith("models/gold/m1.sql line 3: unknown metadata key 'expresion'", LoadError());
        Write("gold/m1.sql", "---\nmetadata:\n  - {name: rows_out, expression: \"count(*)\"}\n---\nSELECT 'x' AS course_id\n");
        Assert.StartsWith("models/gold/m1.sql line 3: metadata 'rows_out' is one the step reports itself", LoadError());
        Write("gold/m1.sql", "---\nmetadata:\n  - {name: rounds, expression: \"count(*)\"}\n  - {name: rounds, expression: \"sum(\"}\n---\nSELECT 'x' AS course_id\n");
        Assert.StartsWith("models/gold/m1.sql line 4: metadata 'rounds' is declared twice", LoadError());
        Write("gold/m1.sql", "---\nmetadata:\n  - {name: rounds, expression: \"count(*\"}\n---\nSELECT 'x' AS course_id\n");
        Assert.StartsWith("models/gold/m1.sql line 3: SQL syntax error", LoadError());
    }

    [Fact]
    public void ModelNamingACodeAsset_IsRefused()
    {
        Write("silver/fact_telemetry_event.sql", "SELECT 1\n");
        Assert.StartsWith("models/silver/fact_telemetry_event.sql line 1: asset silver/fact_telemetry_event is already defined in C#", LoadError());
    }

    [Fact]
    public void YmlBesideTheSql_IsTheHeader_AndRefsInferTheUpstreams()
    {
        Write("gold/by_length.sql", "SELECT course_id, round_length, count(*) AS rounds\nFROM ref('gold.fact_rounds')\nGROUP BY ALL\n");
        Write("gold/by_length.yml", "description: Rounds per length.\npartitions: none\nautomation: {cron: \"0 6 * * *\"}\ntests:\n  - unique: {columns: [course_id, round_length]}\n");

        var definition = Definitions.All(_models).Single(d => d.Key.Value == "gold/by_length");
        var model = ((SqlModelAsset)definition.Compute).Model;

        Assert.Equal("Rounds per length.", definition.Spec.Description);
        Assert.Null(definition.Spec.Partitions);
        // An unpartitioned model reads every course of its per-course upstream.
        Assert.Equal(new AssetDependency(new AssetKey("gold/fact_rounds"), new AllPartitionMapping()), Assert.Single(definition.Spec.Deps));
        Assert.Equal("cron: 0 6 * * *", model.Automation.ToString());
        // The header's condition is on the spec, where the automation evaluator reads it.
        Assert.Equal(AutomationCondition.OnCron("0 6 * * *"), definition.Spec.Automation);
        Assert.Equal("unique_course_id_round_length", Assert.Single(definition.Spec.Checks).Name);
    }
}
