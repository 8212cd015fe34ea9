using System.Text.Json;
using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Automation;

/// <summary>
/// `tmlake automation show` as a user reads it: after `tmlake land` and one `tmlake automation tick`, Silver's landed partition is
/// shown requested with the run that took it and why, in JSON and as a table; the next tick shows it up to date; an asset without
/// a condition says so, and an unknown asset is a clear error.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class AutomationCommandTests : IDisposable
{
    private const string Silver = "silver/fact_telemetry_event";
    private const string Partition = "course_id=erinhills,ingest_date=2025-06-01";
    private readonly TmlakeHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task AutomationShow_SaysWhyEachPartitionWasOrWasNotRequested_AndWhichRunTookIt()
    {
        var data = Path.Combine(_home.Path, "incoming");
        await _home.OkAsync("sample-data", "--out", data, "--courses", "erinhills", "--rounds", "20");
        var export = Directory.GetFiles(data, "erinhills_*.csv").Order(StringComparer.Ordinal).First();
        await _home.OkAsync("land", export, "--course", "erinhills", "--ingest-date", "2025-06-01");
        Assert.Contains("No decisions yet.", await _home.OkAsync("automation", "show", Silver), StringComparison.Ordinal);

        var tick = await _home.OkAsync("automation", "tick");
        Assert.Contains("launched run ", tick, StringComparison.Ordinal);

        using (var view = JsonDocument.Parse(await _home.OkAsync("automation", "show", Silver, "--json")))
        {
            var root = view.RootElement;
            Assert.Equal(Silver, root.GetProperty("asset").GetString());
            Assert.Equal("eager", root.GetProperty("condition").GetString());
            Assert.True(root.GetProperty("enabled").GetBoolean());
            var decision = Assert.Single(root.GetProperty("partitions").EnumerateArray());
            Assert.Equal(Partition, decision.GetProperty("partition").GetString());
            Assert.True(decision.GetProperty("requested").GetBoolean());
            Assert.Equal($"never materialized; upstream bronze/rounds_raw[{Partition}] is", decision.GetProperty("reason").GetString());
            var runId = decision.GetProperty("runId").GetString()!;
            Assert.Contains($"launched run {runId}", tick, StringComparison.Ordinal);
        }
        var table = await _home.OkAsync("automation", "show", Silver);
        Assert.Contains($"{Silver}  automation: eager  on  last tick: ", table, StringComparison.Ordinal);
        Assert.Contains(Partition, table, StringComparison.Ordinal);
        Assert.Contains("never materialized; upstream bronze/rounds_raw", table, StringComparison.Ordinal);

        await _home.OkAsync("automation", "tick");
        using (var after = JsonDocument.Parse(await _home.OkAsync("automation", "show", Silver, "--json")))
        {
            var decision = Assert.Single(after.RootElement.GetProperty("partitions").EnumerateArray());
            Assert.False(decision.GetProperty("requested").GetBoolean());
            Assert.StartsWith("up to date: no upstream updated since its materialization at ", decision.GetProperty("reason").GetString(), StringComparison.Ordinal);
        }

        Assert.Contains("Materialized only when asked.", await _home.OkAsync("automation", "show", "bronze/rounds_raw"), StringComparison.Ordinal);
        var unknown = await _home.RunAsync("automation", "show", "silver/nope");
        Assert.NotEqual(0, unknown.Exit);
        Assert.Contains("No asset 'silver/nope'", unknown.ToString(), StringComparison.Ordinal);
    }
}
