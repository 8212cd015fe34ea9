using System.Text.Json;
using Orchestrator.Tests.Support;
using TmLakehouse.Orchestrator.Cli;

namespace Orchestrator.Tests.Cli;

/// <summary>`asset show`, `lineage`, `quarantine` and the compact `runs` table, in process over the toy graph (raw → clean → summary).</summary>
public sealed class InspectCommandsTests : IDisposable
{
    private readonly TempHome _home = new();
    private readonly ToyAssets _toy = new();

    public void Dispose() => _home.Dispose();

    private async Task<(int Code, string Out)> CliAsync(params string[] args)
    {
        var output = new StringWriter();
        var environment = new CliEnvironment(_toy.Definitions) { Out = output, Error = output, Variables = new Dictionary<string, string> { ["TM_HOME"] = _home.Path } };
        return (await TmlakeCli.RunAsync(args, environment), output.ToString());
    }

    private async Task<string> OkAsync(params string[] args)
    {
        var (code, output) = await CliAsync(args);
        Assert.True(code == 0, $"tmlake {string.Join(' ', args)} exited {code}:\n{output}");
        return output;
    }

    [Fact]
    public async Task AssetShow_NamesDependenciesAndCounts_AndItsJsonHasTheSameCounts()
    {
        await OkAsync("materialize", "--select", "toy/raw+", "--all-partitions");

        var text = await OkAsync("asset", "show", "toy/clean");
        Assert.Contains("  depends on   toy/raw\n", text.ReplaceLineEndings("\n"));
        Assert.Contains("  used by      toy/summary\n", text.ReplaceLineEndings("\n"));
        Assert.Contains("  status       2 materialized\n", text.ReplaceLineEndings("\n"));
        Assert.Contains("  partitions   course\n", text.ReplaceLineEndings("\n"));

        using var json = JsonDocument.Parse(await OkAsync("asset", "show", "toy/clean", "--json"));
        Assert.Equal(2, json.RootElement.GetProperty("statuses").GetProperty("materialized").GetInt32());
        Assert.Equal(JsonValueKind.String, json.RootElement.GetProperty("latest_materialization").GetProperty("event_id").ValueKind);
        Assert.Equal(["toy/raw"], json.RootElement.GetProperty("deps").EnumerateArray().Select(d => d.GetString()));
    }

    [Fact]
    public async Task AssetShow_OfAnUnknownAsset_IsOneLineAndExit2()
    {
        var (code, output) = await CliAsync("asset", "show", "toy/nope");

        Assert.Equal(2, code);
        Assert.StartsWith("error: There is no asset 'toy/nope'. Assets: toy/raw, toy/clean, toy/summary.", output);
    }

    [Fact]
    public async Task Lineage_PrintsTheUpstreamTree_AndTheDownstreamTree()
    {
        var up = (await OkAsync("lineage", "toy/summary", "--upstream")).ReplaceLineEndings("\n");
        Assert.Equal("upstream of toy/summary (2 asset(s)):\n└── toy/clean\n    └── toy/raw\n", up);

        var down = (await OkAsync("lineage", "toy/raw", "--downstream")).ReplaceLineEndings("\n");
        Assert.Equal("downstream of toy/raw (2 asset(s)):\n└── toy/clean\n    └── toy/summary\n", down);

        var both = await OkAsync("lineage", "toy/clean");
        Assert.Contains("upstream of toy/clean (1 asset(s)):", both);
        Assert.Contains("downstream of toy/clean (1 asset(s)):", both);
    }

    [Fact]
    public async Task Runs_ShowsOnePartitionAndHowManyMore_NotEveryKey()
    {
        await OkAsync("materialize", "--select", "toy/raw", "-p", "a", "-p", "b");

        var lines = (await OkAsync("runs")).ReplaceLineEndings("\n").Split('\n');

        Assert.StartsWith("RUN ", lines[0]);
        Assert.Contains("PARENT", lines[0]);
        Assert.Contains(" a +1 more ", lines[1]);
        Assert.DoesNotContain(" a b ", lines[1]);
    }

    [Fact]
    public async Task Quarantine_ListWithoutReports_SaysSo_AndShowOfAnUnknownKeyIsExit2()
    {
        Assert.Equal("No quarantine reports.\n", (await OkAsync("quarantine", "list")).ReplaceLineEndings("\n"));

        var (code, output) = await CliAsync("quarantine", "show", "silver/course_id=x/run_id=y/report.json");
        Assert.Equal(2, code);
        Assert.Contains("There is no quarantine report 'silver/course_id=x/run_id=y/report.json'", output);
    }
}
