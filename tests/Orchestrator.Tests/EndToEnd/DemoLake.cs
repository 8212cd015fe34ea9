using System.Text.RegularExpressions;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>One `tmlake demo` over two courses at a small size, shared by the tests of a class.</summary>
public abstract partial class DemoLake : IAsyncLifetime, IDisposable
{
    public const string IngestDate = "2025-06-01";

    /// <summary>Every Silver and Gold table a demo writes (the ten Gold SQL models included).</summary>
    public static readonly string[] Tables =
    [
        "silver/fact_telemetry_event", "silver/fact_device_health",
        "gold/fact_rounds", "gold/pace_summary_by_round", "gold/signal_quality_rounds", "gold/device_health_errors",
        "gold/fact_round_hole_performance", "gold/course_rounds_by_month", "gold/course_rounds_by_weekday",
        "gold/course_start_hole_distribution", "gold/dim_course", "gold/data_quality_overview",
    ];

    public TmlakeHome Home { get; } = new();

    public abstract IReadOnlyList<string> Courses { get; }

    /// <summary>The id of the demo's Bronze → Silver → Gold run.</summary>
    public string RunId { get; private set; } = "";

    public string DemoOutput { get; private set; } = "";

    /// <summary>What the demo wrote to stderr: warnings and errors.</summary>
    public string DemoError { get; private set; } = "";

    public string SampleData => Path.Combine(Home.Path, "sample-data");

    public static string PartitionOf(string course, string ingestDate = IngestDate) => $"course_id={course},ingest_date={ingestDate}";

    public async Task InitializeAsync()
    {
        var demo = await Home.RunAsync(["demo", "--rounds", "100", .. Courses.SelectMany(c => new[] { "--courses", c })]);
        Assert.True(demo.Exit == 0, $"tmlake demo: {demo}");
        (DemoOutput, DemoError) = (demo.Out, demo.Error);
        RunId = RunIdLine().Matches(DemoOutput).Last().Groups[1].Value;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => Home.Dispose();

    [GeneratedRegex(@"^Run (\w+): \d+ step\(s\)", RegexOptions.Multiline)]
    private static partial Regex RunIdLine();
}

/// <summary>A demo over erinhills and indiancreek.</summary>
public sealed class ErinIndianDemo : DemoLake
{
    public override IReadOnlyList<string> Courses { get; } = ["erinhills", "indiancreek"];
}

/// <summary>A demo over americanfalls (whose devices report low batteries, so every Gold table has rows) and erinhills.</summary>
public sealed class AmericanErinDemo : DemoLake
{
    public override IReadOnlyList<string> Courses { get; } = ["americanfalls", "erinhills"];
}
