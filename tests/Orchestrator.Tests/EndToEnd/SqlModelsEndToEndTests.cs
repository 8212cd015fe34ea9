using Orchestrator.Tests.Deployment;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// Issue 17's done-when, as a user does it with the real `tmlake`: a .sql file (with a test) dropped into models/gold/ is listed
/// by `tmlake assets` and built by `materialize --select +gold/NAME`; a failing error test fails the step, skips downstream and
/// leaves a report; a failing warn test only warns.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class SqlModelsEndToEndTests : IDisposable
{
    private readonly TmlakeHome _home = new();
    private readonly string _models;

    public SqlModelsEndToEndTests()
    {
        _models = Path.Combine(_home.Path, "models");
        foreach (var file in Directory.EnumerateFiles(RepositoryFiles.PathOf("models"), "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(_models, Path.GetRelativePath(RepositoryFiles.PathOf("models"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        _home.Variables["TM_MODELS_DIR"] = _models;
    }

    public void Dispose() => _home.Dispose();

    private void Model(string name, string text) => File.WriteAllText(Path.Combine(_models, "gold", name + ".sql"), text);

    [Fact]
    public async Task DroppedModel_IsListedAndBuilt_ErrorTestFailsAndSkipsDownstream_WarnTestOnlyWarns()
    {
        await _home.OkAsync("demo", "--rounds", "20", "--courses", "erinhills");
        Model("long_rounds", """
            ---
            description: Rounds longer than two hours.
            columns:
              - {name: round_id, description: The round., tests: [not_null, unique]}
            tests:
              - expression: {name: longer_than_two_hours, expression: "duration_sec > 7200"}
            ---
            SELECT course_id, round_id, duration_sec FROM ref('gold.fact_rounds') WHERE duration_sec > 7200
            """);

        var assets = await _home.OkAsync("assets");
        Assert.Contains(assets.Split('\n'), l => l.StartsWith("gold/long_rounds ", StringComparison.Ordinal));
        var built = await _home.RunAsync("materialize", "--select", "+gold/long_rounds", "--all-partitions");
        Assert.True(built.Exit == 0, built.ToString());
        var expected = await _home.OkAsync("query", "select count(*) from gold.fact_rounds where duration_sec > 7200", "--format", "csv");
        var written = await _home.OkAsync("query", "select count(*) from gold.long_rounds", "--format", "csv");
        Assert.Equal(expected, written);
        Assert.NotEqual("0", written.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim());

        // An error test that fails: the step fails, its downstream is skipped, a report names the test.
        Model("impossible_rounds", """
            ---
            tests:
              - expression: {name: no_round_is_that_short, expression: "fix_count > 1000000"}
            ---
            SELECT course_id, round_id, fix_count FROM ref('gold.fact_rounds')
            """);
        Model("impossible_children", "SELECT course_id, count(*) AS rounds FROM ref('gold.impossible_rounds') GROUP BY course_id\n");
        var failed = await _home.RunAsync("materialize", "--select", "gold/impossible_rounds+", "-p", "erinhills");
        Assert.True(failed.Exit == 1, failed.ToString());
        var runId = System.Text.RegularExpressions.Regex.Match(failed.Out, @"^Run (\w+): ", System.Text.RegularExpressions.RegexOptions.Multiline).Groups[1].Value;
        var show = await _home.OkAsync("run", "show", runId);
        var lines = show.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("gold/impossible_rounds[erinhills]", StringComparison.Ordinal) && l.Contains("failed", StringComparison.Ordinal)
                                    && l.Contains("no_round_is_that_short", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("gold/impossible_children[erinhills]", StringComparison.Ordinal) && l.Contains("skipped", StringComparison.Ordinal));
        var reports = Directory.GetFiles(Path.Combine(_home.Bucket("tm-quarantine"), "gold", "model=impossible_rounds"), "report.json", SearchOption.AllDirectories);
        var report = File.ReadAllText(Assert.Single(reports));
        Assert.Contains("no_round_is_that_short", report, StringComparison.Ordinal);
        Assert.Contains("\"step_failed\": true", report, StringComparison.Ordinal);
        Assert.Contains(runId, report, StringComparison.Ordinal);

        // The same test as a warning: the run succeeds and says the test failed.
        Model("impossible_rounds", """
            ---
            tests:
              - expression: {name: no_round_is_that_short, expression: "fix_count > 1000000", severity: warn}
            ---
            SELECT course_id, round_id, fix_count FROM ref('gold.fact_rounds')
            """);
        var warned = await _home.RunAsync("materialize", "--select", "gold/impossible_rounds+", "-p", "erinhills");
        Assert.True(warned.Exit == 0, warned.ToString());
        var warnedRun = System.Text.RegularExpressions.Regex.Match(warned.Out, @"^Run (\w+): ", System.Text.RegularExpressions.RegexOptions.Multiline).Groups[1].Value;
        var warnedShow = await _home.OkAsync("run", "show", warnedRun);
        Assert.Contains("no_round_is_that_short", warnedShow, StringComparison.Ordinal);
        Assert.Contains(warnedShow.Split('\n'), l => l.StartsWith("gold/impossible_children[erinhills]", StringComparison.Ordinal) && l.Contains("succeeded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Docs_WritesTheCatalog_WithColumnsTestsAndLineage()
    {
        var folder = Path.Combine(_home.Path, "catalog");

        var output = await _home.OkAsync("docs", "--out", folder);

        Assert.Contains("index.html", output, StringComparison.Ordinal);
        var html = File.ReadAllText(Path.Combine(folder, "index.html"));
        Assert.Contains("id=\"asset-gold-fact_rounds\"", html, StringComparison.Ordinal);
        Assert.Contains("Tagmarshal&#39;s id of the round.", html, StringComparison.Ordinal);
        Assert.Contains("accepted_values_round_length (error)", html, StringComparison.Ordinal);
        Assert.Contains("<td><a href=\"#asset-gold-pace_summary_by_round\">gold/pace_summary_by_round</a></td><td><a href=\"#asset-gold-fact_rounds\">gold/fact_rounds</a></td>", html, StringComparison.Ordinal);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "catalog.json")));
        var factRounds = json.RootElement.EnumerateArray().Single(a => a.GetProperty("key").GetString() == "gold/fact_rounds");
        Assert.Equal("models/gold/fact_rounds.sql", factRounds.GetProperty("sql_file").GetString());
        Assert.Equal(["silver/fact_telemetry_event"], factRounds.GetProperty("upstream").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task BrokenModel_StopsTheLoad_NamingFileAndLine()
    {
        Model("broken", "---\ndescription: Broken on purpose.\n---\nSELECT course_id,\n  round_id\nFROM ref('gold.fact_rounds')\nWHERE AND\n");

        var result = await _home.RunAsync("assets");

        Assert.True(result.Exit == 2, result.ToString());
        Assert.Contains("models/gold/broken.sql line 7", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }
}
