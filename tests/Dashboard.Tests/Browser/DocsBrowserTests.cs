using Dashboard.Tests.Support;
using TmLakehouse.Assets;

namespace Dashboard.Tests.Browser;

/// <summary>The data catalog at /docs in headless Chromium, over the repository's own SQL models.</summary>
public sealed class DocsBrowserTests
{
    [Fact]
    public async Task Docs_FromTheNav_ShowsAModelsColumnsTestsAndLineage_AndFollowsALineageLinkToTheModelsSql()
    {
        var shots = BrowserScript.Screenshots(nameof(Docs_FromTheNav_ShowsAModelsColumnsTestsAndLineage_AndFollowsALineageLinkToTheModelsSql));
        var definitions = Definitions.All(RepositoryModels());
        await using var server = await DashboardServer.StartAsync(definitions);

        var result = await BrowserScript.RunAsync("docs.mjs", server.BaseAddress.ToString(), shots);

        Assert.Equal("Data catalog", result.GetProperty("title").GetString());
        Assert.Equal(definitions.SelectMany(d => d.Keys).Count(), result.GetProperty("lineageRows").GetInt32());
        var factRounds = (TmLakehouse.Assets.Models.SqlModelAsset)definitions.Single(d => d.Key.Value == "gold/fact_rounds").Compute;
        Assert.Equal(factRounds.Model.Columns.Count, result.GetProperty("factRoundsColumns").GetInt32());
        Assert.Equal(definitions.Single(d => d.Key.Value == "gold/fact_rounds").Spec.Checks.Count, result.GetProperty("checks").GetInt32());
        Assert.Equal("not_null_round_id (error)", result.GetProperty("roundIdTests").GetString());
        Assert.Contains("silver/fact_telemetry_event", result.GetProperty("factRoundsReads").GetString());
        Assert.Equal("gold/pace_summary_by_round", result.GetProperty("jumpedTo").GetString());
        Assert.True(result.GetProperty("jumpedInView").GetBoolean(), "the lineage link did not scroll to the model");
        var pace = (TmLakehouse.Assets.Models.SqlModelAsset)definitions.Single(d => d.Key.Value == "gold/pace_summary_by_round").Compute;
        Assert.Equal(pace.Model.Sql.Trim(), result.GetProperty("sql").GetString());
        foreach (var shot in new[] { "1-docs.png", "2-model.png" })
            Assert.True(new FileInfo(Path.Combine(shots, shot)) is { Exists: true, Length: > 1000 }, $"screenshot {shot} missing");
    }

    private static string RepositoryModels()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TmLakehouse.sln"))) return Path.Combine(dir.FullName, "models");
        throw new DirectoryNotFoundException($"No TmLakehouse.sln above {AppContext.BaseDirectory}.");
    }
}
