namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// Issue 11's launch-time validation (and issue 10 defect 5) as a user meets it: a partition the assets do not have, a value
/// that is not a valid key part, or an upstream never materialized is refused before a run exists (exit 2, one `error:`
/// line, `runs` unchanged); the same key given many times is one step.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class LaunchValidationCliTests : IAsyncLifetime, IDisposable
{
    private const string Course = "erinhills";
    private const string Day = "2025-06-01";
    private static readonly string Landed = $"course_id={Course},ingest_date={Day}";
    private readonly TmlakeHome _home = new();

    // Landing one export materializes Bronze for its partition (the verifying run); Silver and Gold never ran.
    public async Task InitializeAsync()
    {
        var data = Path.Combine(_home.Path, "incoming");
        await _home.OkAsync("sample-data", "--out", data, "--courses", Course, "--rounds", "20");
        var export = Directory.GetFiles(data, $"{Course}_*.csv").Order(StringComparer.Ordinal).First();
        await _home.OkAsync("land", export, "--course", Course, "--ingest-date", Day);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _home.Dispose();

    [Theory]
    [InlineData("silver/fact_telemetry_event", "course_id=nosuch,ingest_date=2025-06-01", "has no partition 'course_id=nosuch,ingest_date=2025-06-01'")]
    [InlineData("silver/fact_telemetry_event", "course_id=erinhills,ingest_date=2025-06-02", "has no partition 'course_id=erinhills,ingest_date=2025-06-02'")]
    [InlineData("gold/fact_rounds", "nosuch", "gold/fact_rounds has no partition 'nosuch'")]
    [InlineData("silver/fact_telemetry_event", "course_id=../../x,ingest_date=2025-06-01", "cannot hold '/'")]
    [InlineData("silver/fact_telemetry_event", "course_id=a/b,ingest_date=2025-06-01", "cannot hold '/'")]
    [InlineData("silver/fact_telemetry_event", "course_id=erin\u0007hills,ingest_date=2025-06-01", "control characters")]
    [InlineData("gold/fact_rounds", "erinhills", "reads silver/fact_telemetry_event 'course_id=erinhills,ingest_date=2025-06-01', which has never been materialized")]
    public async Task Materialize_IsRefusedBeforeARunExists(string selection, string partition, string expected)
    {
        var before = await _home.OkAsync("runs");

        var result = await _home.RunAsync("materialize", "--select", selection, "-p", partition);

        Assert.True(result.Exit == 2, result.ToString());
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain('\u0007', result.Error);
        Assert.Equal("", result.Out);
        Assert.Equal(before, await _home.OkAsync("runs"));
    }

    [Fact]
    public async Task Materialize_WithTheSameKeyManyTimes_RunsItOnce_AndWithItsUpstreamSelected_IsAccepted()
    {
        var args = new List<string> { "materialize", "--select", "silver/fact_telemetry_event" };
        for (var i = 0; i < 500; i++) args.AddRange(["-p", Landed]);

        var output = await _home.OkAsync([.. args]);

        Assert.Contains(": 1 step(s).", output, StringComparison.Ordinal);
        var gold = await _home.OkAsync("materialize", "--select", "gold/fact_rounds", "-p", Course);
        Assert.Contains("succeeded", gold, StringComparison.Ordinal);
    }
}
