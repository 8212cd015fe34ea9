using TmLakehouse.Assets;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>Issue 2 as a user checks it: a failing run exits non-zero and says which step failed and why; assets and runs are listed; user mistakes are one line.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class CliRunsTests(ErinIndianDemo demo) : IClassFixture<ErinIndianDemo>
{
    private TmlakeHome Home => demo.Home;

    [Fact]
    public async Task Materialize_ExitsNonZeroAndRunShowNamesTheFailingStep_WhenABronzeFileIsCorruptedAfterLanding()
    {
        // A good file lands in its own partition; then its Bronze copy is damaged, as a bad disk or a stray writer would.
        var small = Path.Combine(Home.Path, "small_rounds.csv");
        File.WriteAllLines(small, File.ReadLines(Path.Combine(demo.SampleData, $"erinhills_rounds_{DemoLake.IngestDate}.csv")).Take(20));
        var landed = await Home.RunAsync("land", small, "--course", "erinhills", "--ingest-date", "2025-06-05");
        Assert.True(landed.Exit == 0, landed.ToString());
        var bronzeCopy = Path.Combine(Home.Bucket("tm-bronze"), "course_id=erinhills", "ingest_date=2025-06-05", "small_rounds.csv");
        var lines = File.ReadAllLines(bronzeCopy);
        lines[2] = lines[2].Replace(",erinhills,", ",\"erinhills,", StringComparison.Ordinal);
        File.WriteAllLines(bronzeCopy, lines.Take(3));

        var result = await Home.RunAsync("materialize", "--select", "silver/fact_telemetry_event", "-p", DemoLake.PartitionOf("erinhills", "2025-06-05"));

        Assert.NotEqual(0, result.Exit);
        var runId = System.Text.RegularExpressions.Regex.Match(result.Out, @"^Run (\w+): ", System.Text.RegularExpressions.RegexOptions.Multiline).Groups[1].Value;
        Assert.NotEmpty(runId);
        var show = await Home.RunAsync("run", "show", runId);
        Assert.Equal(0, show.Exit);
        var stepLine = show.Out.Split('\n').Single(l => l.StartsWith("silver/fact_telemetry_event[course_id=erinhills,ingest_date=2025-06-05]", StringComparison.Ordinal));
        Assert.Contains("failed", stepLine, StringComparison.Ordinal);
        Assert.Contains("small_rounds.csv line 3", stepLine, StringComparison.Ordinal);
        Assert.Contains("course", stepLine, StringComparison.Ordinal);
        Assert.Contains($"Run {runId}  failed", show.Out, StringComparison.Ordinal);
        var runs = await Home.OkAsync("runs");
        Assert.Contains(runs.Split('\n'), l => l.StartsWith(runId, StringComparison.Ordinal) && l.Contains("failed", StringComparison.Ordinal));
    }

    [Fact]
    public void Demo_CountsItsStepsWithTheTimeLeft_LabelsEachGoldColumn_PointsAtItsOwnHome_AndWarnsOfNothing()
    {
        var lines = demo.DemoOutput.Split('\n').Select(l => l.TrimEnd()).ToList();
        var main = lines.SkipWhile(l => !l.StartsWith("== 3/4", StringComparison.Ordinal)).TakeWhile(l => !l.StartsWith("== 4/4", StringComparison.Ordinal)).ToList();
        var total = int.Parse(System.Text.RegularExpressions.Regex.Match(main[1], @"^Run \w+: (\d+) step\(s\)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var ended = main.Where(l => l.StartsWith("  succeeded ", StringComparison.Ordinal)).ToList();

        Assert.Equal(total, ended.Count);
        Assert.All(ended.SkipLast(1), l => Assert.Matches(@"\[\d+/" + total + @", ~\d+ s left\]$", l));
        Assert.EndsWith($"[{total}/{total}]", ended[^1]);
        var header = lines.Single(l => l.StartsWith("COURSE ", StringComparison.Ordinal));
        Assert.Equal(["COURSE", "ROUNDS", "SILVER_ROWS", "QUARANTINED", "gold.fact_rounds"], header.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(5));
        var pointers = lines.SkipWhile(l => l != "Where to look:").Skip(2).TakeWhile(l => l.Length > 0).ToList();
        Assert.NotEmpty(pointers);
        Assert.All(pointers, p => Assert.StartsWith($"  TM_HOME={Home.Path} tmlake ", p));
        Assert.DoesNotContain(demo.DemoError.Split('\n'), l => l.Contains("fresh", StringComparison.OrdinalIgnoreCase) || l.Contains("WRN", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Materialize_OnATerminal_DrawsAProgressBarUnderTheStepLines_AndClearsItBeforeTheOutcome()
    {
        // `script` gives the CLI a pseudo-terminal, as a user's shell does; the other tests read it through a pipe (plain lines).
        var start = await Home.StartInfoAsync("materialize", "--select", "gold/dim_course,gold/course_rounds_by_month", "-p", "erinhills");
        var command = string.Join(' ', new[] { start.FileName }.Concat(start.ArgumentList).Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        var terminal = new System.Diagnostics.ProcessStartInfo("script") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-qec", command, "/dev/null" }) terminal.ArgumentList.Add(a);
        foreach (var (name, value) in start.Environment) terminal.Environment[name] = value;
        using var process = System.Diagnostics.Process.Start(terminal)!;
        var output = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(5)).Token);

        var text = await output;
        Assert.True(process.ExitCode == 0, text);
        Assert.Matches(@"\[#{15}\.{15}\] 1/2, ~\d+ s left", text);
        Assert.Contains("\r\u001b[K", text, StringComparison.Ordinal);
        Assert.Matches(@"\u001b\[KRun \w+ succeeded in [\d.]+ s \(2 succeeded\)", text);
        Assert.DoesNotContain("  running ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assets_ListsEveryAssetWithItsStatus_AfterTheDemo()
    {
        var output = await Home.OkAsync("assets");

        var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        // A multi-asset definition (Silver's telemetry and device health) lists each of its assets.
        var expected = Definitions.All().SelectMany(d => d.Keys).Select(k => k.Value).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, rows.Select(r => r[0]).Order(StringComparer.Ordinal).ToList());
        foreach (var row in rows.Select(r => string.Join(' ', r)))
        {
            // Maintenance runs weekly, and spatial assets run for manifests of spatial batches, none of which the demo lands.
            if (row.StartsWith("maintenance/", StringComparison.Ordinal) || row.StartsWith("spatial/", StringComparison.Ordinal))
                Assert.Contains("never", row, StringComparison.Ordinal);
            else
                Assert.Matches(@" 20\d\d-\d\d-\d\d \d\d:\d\d:\d\d ([2-9]|\d\d+) materialized", row);
        }
    }

    [Fact]
    public async Task Runs_ListsTheDemoRun_OneRunFromBronzeVerifyingTheLandedFilesToGold()
    {
        var output = await Home.OkAsync("runs");

        var demoRun = Assert.Single(output.Split('\n'), l => l.StartsWith(demo.RunId, StringComparison.Ordinal));
        Assert.Contains("succeeded", demoRun, StringComparison.Ordinal);
        Assert.Contains("bronze/rounds_raw+", demoRun, StringComparison.Ordinal);
        // No separate landing run: the landed files' ledger rows carry the demo run's id.
        Assert.DoesNotContain(output.Split('\n'), l => !l.StartsWith(demo.RunId, StringComparison.Ordinal) && l.Contains("bronze/rounds_raw ", StringComparison.Ordinal));
        var ledger = await Home.OkAsync("ledger");
        Assert.All(ledger.Split('\n').Where(l => l.Contains(" bronze ", StringComparison.Ordinal)), l => Assert.Contains(demo.RunId, l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Json_RunsRunShowAndAssets_PrintOneDocumentWithSnakeCaseKeys()
    {
        using var runs = System.Text.Json.JsonDocument.Parse(await Home.OkAsync("runs", "--json"));
        var demoRun = runs.RootElement.GetProperty("runs").EnumerateArray().Single(r => r.GetProperty("run_id").GetString() == demo.RunId);
        Assert.Equal("succeeded", demoRun.GetProperty("status").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, demoRun.GetProperty("steps").ValueKind);

        using var show = System.Text.Json.JsonDocument.Parse(await Home.OkAsync("run", "show", demo.RunId, "--json"));
        var steps = show.RootElement.GetProperty("steps").EnumerateArray().ToList();
        Assert.NotEmpty(steps);
        Assert.All(steps, s =>
        {
            Assert.Equal("succeeded", s.GetProperty("status").GetString());
            var attempt = Assert.Single(s.GetProperty("attempts").EnumerateArray());
            Assert.Equal("succeeded", attempt.GetProperty("outcome").GetString());
            Assert.Equal(1, attempt.GetProperty("number").GetInt32());
        });

        using var assets = System.Text.Json.JsonDocument.Parse(await Home.OkAsync("assets", "--json"));
        var silver = assets.RootElement.GetProperty("assets").EnumerateArray().Single(a => a.GetProperty("asset").GetString() == "silver/fact_telemetry_event");
        Assert.Equal(["course_id", "ingest_date"], silver.GetProperty("partitions").EnumerateArray().Select(p => p.GetString()));
        // A 64-bit event id travels as a string.
        Assert.Equal(System.Text.Json.JsonValueKind.String, silver.GetProperty("last_materialization_event_id").ValueKind);
        Assert.True(silver.GetProperty("statuses").GetProperty("materialized").GetInt32() >= 2);
    }

    [Theory]
    [InlineData("no asset 'silver/nope'", "materialize", "--select", "silver/nope")]
    [InlineData("2025-13-45", "materialize", "--select", "silver/fact_telemetry_event", "-p", "course_id=erinhills,ingest_date=2025-13-45")]
    [InlineData("'bogus'", "materialize", "--select", "silver/fact_telemetry_event", "-p", "bogus")]
    [InlineData("No run 'deadbeef0000'", "run", "show", "deadbeef0000")]
    [InlineData("deadbeef0000", "reexecute", "deadbeef0000")]
    [InlineData("gold/nope", "preview", "gold/nope")]
    public async Task UserMistake_PrintsOneErrorLineAndExits2_WithoutAStackTrace(string named, params string[] args)
    {
        var result = await Home.RunAsync(args);

        Assert.True(result.Exit == 2, result.ToString());
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(named, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Out + result.Error, StringComparison.Ordinal);
    }
}
