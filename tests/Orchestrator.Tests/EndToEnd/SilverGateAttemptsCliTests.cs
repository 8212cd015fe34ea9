using System.Text.RegularExpressions;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// Issue 11's "retries that know the failure" as a user reads it in `tmlake run show`: a Silver gate failure is
/// deterministic, so although Silver retries transient failures, its step shows exactly one attempt, which failed.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class SilverGateAttemptsCliTests : IDisposable
{
    private const string Course = "erinhills";
    private readonly TmlakeHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task SilverGateFailure_ShowsOneAttempt_ThatFailedNamingTheGate()
    {
        var data = Path.Combine(_home.Path, "incoming");
        await _home.OkAsync("sample-data", "--out", data, "--courses", Course, "--rounds", "200");
        var export = Directory.GetFiles(data, $"{Course}_*.csv").Order(StringComparer.Ordinal).First();
        await _home.OkAsync("land", export, "--course", Course, "--ingest-date", "2025-06-01");
        // The sample's adversarial rows are quarantined: at a threshold this low the quarantine gate must fail the step.
        _home.Variables["TM_GATE_MAX_QUARANTINE_RATE"] = "0.000001";

        var result = await _home.RunAsync("materialize", "--select", "silver/fact_telemetry_event", "-p", $"course_id={Course},ingest_date=2025-06-01");

        Assert.True(result.Exit != 0, result.ToString());
        var runId = RunLine().Match(result.Out).Groups[1].Value;
        Assert.NotEmpty(runId);
        var show = await _home.OkAsync("run", "show", runId);
        var step = $"silver/fact_telemetry_event[course_id={Course},ingest_date=2025-06-01]";
        var row = show.Split('\n').First(l => l.StartsWith(step + " ", StringComparison.Ordinal));
        Assert.Matches(@"\sfailed\s+1\s", row);
        var section = show[show.IndexOf($"== {step}", StringComparison.Ordinal)..];
        var attempts = section.Split('\n').Where(l => l.TrimStart().StartsWith("attempt ", StringComparison.Ordinal)).ToList();
        Assert.True(attempts.Count == 1, show);
        var only = attempts[0];
        Assert.Matches(@"^attempt 1: failed after \d+\.\d\d s - Silver gate 'max_quarantine_rate' failed", only.Trim());
        Assert.DoesNotContain("StepRetry", section, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^Run (\w+): ", RegexOptions.Multiline)]
    private static partial Regex RunLine();
}
