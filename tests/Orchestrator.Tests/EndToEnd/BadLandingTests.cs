using System.Text.Json;
using System.Text.RegularExpressions;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>Issue 3 as a user checks it: a bad export is refused loudly with a quarantine report and touches no Silver data; landing the same file twice does nothing.</summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class BadLandingTests(ErinIndianDemo demo) : IClassFixture<ErinIndianDemo>
{
    private const string Silver = "silver/fact_telemetry_event";
    private TmlakeHome Home => demo.Home;

    private string GoodExport => Path.Combine(demo.SampleData, $"erinhills_rounds_{DemoLake.IngestDate}.csv");

    public static TheoryData<string, string> BadFiles => new()
    {
        { "header_only", "line 2: no data row" },
        { "binary_junk", "line 1: the header lacks column(s) _id" },
        { "unbalanced_quote", "line 3, column 16 (course): a quoted field is never closed" },
        { "missing_id", "line 1: the header lacks column(s) _id" },
    };

    private void WriteBadFile(string kind, string path)
    {
        var lines = File.ReadLines(GoodExport).Take(3).ToArray();
        switch (kind)
        {
            case "header_only":
                File.WriteAllLines(path, lines.Take(1));
                break;
            case "binary_junk":
                File.WriteAllBytes(path, Enumerable.Range(0, 4096).Select(i => (byte)((i * 7919 + 13) % 256)).ToArray());
                break;
            case "unbalanced_quote":
                lines[2] = lines[2].Replace(",erinhills,", ",\"erinhills,", StringComparison.Ordinal);
                File.WriteAllLines(path, lines);
                break;
            case "missing_id":
                lines[0] = lines[0].Replace(",_id,", ",id,", StringComparison.Ordinal);
                File.WriteAllLines(path, lines);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    private async Task<string> SilverStateAsync()
    {
        var counts = new List<string>();
        foreach (var course in demo.Courses)
            counts.Add($"{course}={await Home.CountAsync(Silver, DemoLake.PartitionOf(course))}");
        return string.Join(' ', counts) + "\n" + await Home.OkAsync("table", "history", "silver.fact_telemetry_event");
    }

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task Land_RejectsTheFileNamingItAndWritesAQuarantineReport_AndLeavesSilverUnchanged(string kind, string expected)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Home.Path, "incoming-" + kind)).FullName;
        var file = Path.Combine(folder, $"erinhills_{kind}.csv");
        WriteBadFile(kind, file);
        var before = await SilverStateAsync();

        var result = await Home.RunAsync("land", file, "--course", "erinhills", "--ingest-date", "2025-06-02");

        Assert.True(result.Exit != 0, result.ToString());
        var line = Assert.Single(result.Out.Split('\n'), l => l.StartsWith($"erinhills_{kind}.csv: REJECTED: ", StringComparison.Ordinal));
        Assert.Contains($"{file} {expected}", line, StringComparison.Ordinal);
        var key = ReportKey().Match(line).Groups[1].Value;
        using (var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Home.Bucket("tm-quarantine"), key))))
        {
            Assert.True(json.RootElement.GetProperty("step_failed").GetBoolean());
            Assert.Contains(expected, json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.Contains($"erinhills_{kind}.csv", json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        }
        Assert.False(File.Exists(Path.Combine(Home.Bucket("tm-bronze"), "course_id=erinhills", "ingest_date=2025-06-02", $"erinhills_{kind}.csv")));
        Assert.Equal(before, await SilverStateAsync());
    }

    [Fact]
    public async Task Land_IsANoOp_WhenTheSameFileIsLandedAgain()
    {
        var bronze = Path.Combine(Home.Bucket("tm-bronze"), "course_id=erinhills", $"ingest_date={DemoLake.IngestDate}");
        var filesBefore = Directory.GetFiles(bronze).Select(f => (f, File.GetLastWriteTimeUtc(f))).ToList();
        var runsBefore = await Home.OkAsync("runs");
        var silverBefore = await SilverStateAsync();

        var result = await Home.RunAsync("land", GoodExport, "--course", "erinhills", "--ingest-date", DemoLake.IngestDate);

        Assert.True(result.Exit == 0, result.ToString());
        Assert.Contains("Nothing new landed.", result.Out, StringComparison.Ordinal);
        Assert.Equal(filesBefore, Directory.GetFiles(bronze).Select(f => (f, File.GetLastWriteTimeUtc(f))).ToList());
        Assert.Equal(runsBefore, await Home.OkAsync("runs"));
        Assert.Equal(silverBefore, await SilverStateAsync());
    }

    [GeneratedRegex(@"\(quarantine report: ([^)]+)\)")]
    private static partial Regex ReportKey();
}
